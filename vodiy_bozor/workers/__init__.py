"""Background loops: the schedules and the backoff they share."""
