"""Front doors: the command line (``cli``), the HTTP service (``service``) and the settings both read (``settings``)."""
