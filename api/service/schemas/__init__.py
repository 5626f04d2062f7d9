"""The API's wire models, in and out, one module per resource; ``common`` holds errors and paging."""
