"""The pages, one module per group of people's work; thin over the service's shared pieces and ``scenarios``."""
