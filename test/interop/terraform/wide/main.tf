# A wide configuration a team would write for one service's user pool: custom attributes, TOTP MFA required, deletion
# protection, tags, an app client with token validity and units, groups with precedence, an admin-created user (with a
# permanent password) in a group. run.sh: apply -> plan (no changes) -> update (deletion protection off, precedence, tags,
# token validity, the user's attribute) -> plan (no changes) -> destroy (possible only once deletion protection is off).
# Nothing here is Cognate-specific: only the provider's endpoint (provider.tf, written by run.sh) differs.

variable "name_prefix" {
  type    = string
  default = "tfinterop"
}
variable "deletion_protection" {
  type    = string
  default = "ACTIVE"
}
variable "admins_precedence" {
  type    = number
  default = 1
}
variable "environment" {
  type    = string
  default = "staging"
}
variable "id_token_validity" {
  type    = number
  default = 60
}
variable "user_given_name" {
  type    = string
  default = "Ada"
}

resource "aws_cognito_user_pool" "pool" {
  name                     = "${var.name_prefix}-wide"
  username_attributes      = ["email"]
  auto_verified_attributes = ["email"]
  mfa_configuration        = "ON"
  deletion_protection      = var.deletion_protection

  software_token_mfa_configuration {
    enabled = true
  }

  password_policy {
    minimum_length                   = 12
    require_lowercase                = true
    require_numbers                  = true
    require_symbols                  = false
    require_uppercase                = true
    temporary_password_validity_days = 3
  }

  account_recovery_setting {
    recovery_mechanism {
      name     = "verified_email"
      priority = 1
    }
  }

  admin_create_user_config {
    allow_admin_create_user_only = true
  }

  username_configuration {
    case_sensitive = false
  }

  schema {
    name                     = "email"
    attribute_data_type      = "String"
    required                 = true
    mutable                  = true
    developer_only_attribute = false
    string_attribute_constraints {
      min_length = 5
      max_length = 254
    }
  }

  schema {
    name                     = "tenant_id"
    attribute_data_type      = "String"
    mutable                  = false
    required                 = false
    developer_only_attribute = false
    string_attribute_constraints {
      min_length = 1
      max_length = 64
    }
  }

  schema {
    name                     = "seats"
    attribute_data_type      = "Number"
    mutable                  = true
    required                 = false
    developer_only_attribute = false
    number_attribute_constraints {
      min_value = 1
      max_value = 500
    }
  }

  tags = {
    team        = "identity"
    environment = var.environment
  }
}

resource "aws_cognito_user_pool_client" "api" {
  name                          = "${var.name_prefix}-api"
  user_pool_id                  = aws_cognito_user_pool.pool.id
  explicit_auth_flows           = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
  prevent_user_existence_errors = "ENABLED"
  enable_token_revocation       = true
  access_token_validity         = 30
  id_token_validity             = var.id_token_validity
  refresh_token_validity        = 14
  read_attributes               = ["email", "custom:tenant_id", "custom:seats"]
  write_attributes              = ["email", "custom:seats"]

  token_validity_units {
    access_token  = "minutes"
    id_token      = "minutes"
    refresh_token = "days"
  }
}

resource "aws_cognito_user_group" "admins" {
  name         = "admins"
  user_pool_id = aws_cognito_user_pool.pool.id
  description  = "Administrators"
  precedence   = var.admins_precedence
}

resource "aws_cognito_user_group" "readers" {
  name         = "readers"
  user_pool_id = aws_cognito_user_pool.pool.id
  description  = "Read-only users"
  precedence   = 10
}

resource "aws_cognito_user" "ada" {
  user_pool_id = aws_cognito_user_pool.pool.id
  username     = "ada@example.com"
  password     = "Correct-Horse-Battery-9"

  attributes = {
    email            = "ada@example.com"
    email_verified   = true
    given_name       = var.user_given_name
    "tenant_id"      = "t-001"
  }
}

resource "aws_cognito_user_in_group" "ada_admin" {
  user_pool_id = aws_cognito_user_pool.pool.id
  group_name   = aws_cognito_user_group.admins.name
  username     = aws_cognito_user.ada.username
}

output "pool_id" {
  value = aws_cognito_user_pool.pool.id
}
output "user_sub" {
  value = aws_cognito_user.ada.sub
}
