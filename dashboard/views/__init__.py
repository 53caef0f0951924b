"""One module per page; each is UI only and calls dashboard.loaders."""
