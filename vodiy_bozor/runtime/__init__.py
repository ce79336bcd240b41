"""Running the process: serving updates (polling or webhook), health, check, metrics, logs."""
