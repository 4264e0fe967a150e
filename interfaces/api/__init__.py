"""The JSON API under /api/v1 (flask-smorest), described by the OpenAPI document at
/api/v1/openapi.json and browsable at /api/v1/docs/."""
