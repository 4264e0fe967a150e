"""A person's own account, as the web's "Ganti kata sandi" form sends it."""

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from application.accounts import MAX_PASSWORD, MIN_PASSWORD


class ChangePassword(Schema):
    current_password = fields.String(required=True, validate=validate.Length(min=1, max=MAX_PASSWORD))
    # The application refuses such a password too; said here, the error sits beside the field.
    new_password = fields.String(required=True, validate=validate.Length(
        min=MIN_PASSWORD, max=MAX_PASSWORD, error="password must be {min}–{max} characters"))
    new_password_again = fields.String(required=True)

    @validates_schema
    def repeated_alike(self, data: dict[str, Any], **kwargs: Any) -> None:
        if "new_password" in data and data["new_password"] != data.get("new_password_again"):
            raise ValidationError("The new password and its repetition differ.", "new_password_again")
