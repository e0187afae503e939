# The user pools and app clients of the reference apps, as their Terraform writes them.
#  - seed 004 (React + Node on the hosted UI): main.tf's pool and web-client.tf's OAuth client,
#    verbatim except var.* values (the ACM custom domain and UI customization are in ../hosted).
#  - seed 001 (serverless Go API): pool with auto-verified email, MFA optional (TOTP), and a client
#    with two explicit auth flows (plus refresh), token validity blocks and a secret.
# The provider block (endpoint = Cognate) is written by run.sh into provider.tf.

variable "name_prefix" {
  type    = string
  default = "tfinterop"
}
variable "callback_url" {
  type    = string
  default = "http://localhost:3000/callback"
}
# Case (c) changes these two in place.
variable "password_min_length" {
  type    = number
  default = 6
}
variable "access_token_validity" {
  type    = number
  default = 60
}

# ---- seed 004: main.tf ---------------------------------------------------------------
resource "aws_cognito_user_pool" "pool" {
  name = "${var.name_prefix}-web"

  # Add your app name to the below
  email_verification_subject = "Your verification code"
  email_verification_message = "Your verification code is {####}."

  schema {
    attribute_data_type = "String"
    name                = "email"
    required            = true
    mutable             = true

    string_attribute_constraints {
      min_length = 1
      max_length = 100
    }
  }

  username_attributes      = ["email"]
  auto_verified_attributes = ["email"]

  password_policy {
    minimum_length    = var.password_min_length
    require_lowercase = false
    require_numbers   = false
    require_symbols   = false
    require_uppercase = false
  }

  device_configuration {
    challenge_required_on_new_device      = true
    device_only_remembered_on_user_prompt = false
  }
}

# ---- seed 004: web-client.tf ---------------------------------------------------------
resource "aws_cognito_user_pool_client" "client" {
  name                                 = "${var.name_prefix}-web-client"
  user_pool_id                         = aws_cognito_user_pool.pool.id
  callback_urls                        = [var.callback_url]
  default_redirect_uri                 = var.callback_url
  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = ["code", "implicit"]
  allowed_oauth_scopes                 = ["email", "openid"]
  supported_identity_providers         = ["COGNITO"]
}

# ---- seed 001: the serverless Go API's pool and client -------------------------------
resource "aws_cognito_user_pool" "api" {
  name = "${var.name_prefix}-api"

  auto_verified_attributes = ["email"]

  schema {
    attribute_data_type = "String"
    name                = "name"
    required            = true
    mutable             = true

    string_attribute_constraints {
      min_length = 1
      max_length = 256
    }
  }

  password_policy {
    minimum_length                   = 8
    require_lowercase                = true
    require_numbers                  = true
    require_symbols                  = false
    require_uppercase                = true
    temporary_password_validity_days = 7
  }

  email_configuration {
    email_sending_account = "COGNITO_DEFAULT"
  }

  account_recovery_setting {
    recovery_mechanism {
      name     = "verified_email"
      priority = 1
    }
  }

  admin_create_user_config {
    allow_admin_create_user_only = false
  }

  verification_message_template {
    default_email_option = "CONFIRM_WITH_CODE"
  }

  mfa_configuration = "OPTIONAL"
  software_token_mfa_configuration {
    enabled = true
  }

  # lambda_config omitted (no triggers in the reference apps)
}

resource "aws_cognito_user_pool_client" "api" {
  name            = "${var.name_prefix}-api-client"
  user_pool_id    = aws_cognito_user_pool.api.id
  generate_secret = true

  explicit_auth_flows = [
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
  ]

  prevent_user_existence_errors = "ENABLED"
  enable_token_revocation       = true

  access_token_validity  = var.access_token_validity
  id_token_validity      = 60
  refresh_token_validity = 30
  token_validity_units {
    access_token  = "minutes"
    id_token      = "minutes"
    refresh_token = "days"
  }

  read_attributes  = ["email", "email_verified", "name"]
  write_attributes = ["email", "name"]
}

output "pool_ids" {
  value = [aws_cognito_user_pool.pool.id, aws_cognito_user_pool.api.id]
}
