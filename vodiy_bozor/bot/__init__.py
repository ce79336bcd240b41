"""Everything that speaks Telegram: the dispatcher, middlewares, keyboards and handlers."""
