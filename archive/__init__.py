"""A static-site generator for an archive of translated political texts."""
