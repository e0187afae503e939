# Seed 004's hosted-UI resources: pool + OAuth client + a prefix domain (instead of the ACM
# custom domain) + a resource server + UI customization. Needs the issue-13 domain / resource
# server / UI customization actions (branch i13-domains); run.sh reports this case as
# "pending issue 13" unless TF_INTEROP_HOSTED=1.

variable "name_prefix" {
  type    = string
  default = "tfinterop"
}
variable "domain_prefix" {
  type = string
}
variable "callback_url" {
  type    = string
  default = "http://localhost:3000/callback"
}
variable "css" {
  type    = string
  default = ".label-customizable {font-weight: 400;}"
}

resource "aws_cognito_user_pool" "pool" {
  name = "${var.name_prefix}-hosted"

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
    minimum_length    = 6
    require_lowercase = false
    require_numbers   = false
    require_symbols   = false
    require_uppercase = false
  }
}

resource "aws_cognito_resource_server" "api" {
  identifier   = "https://api.example.com"
  name         = "${var.name_prefix}-api"
  user_pool_id = aws_cognito_user_pool.pool.id

  scope {
    scope_name        = "read"
    scope_description = "Read access"
  }
}

resource "aws_cognito_user_pool_client" "client" {
  name                                 = "${var.name_prefix}-web-client"
  user_pool_id                         = aws_cognito_user_pool.pool.id
  callback_urls                        = [var.callback_url]
  default_redirect_uri                 = var.callback_url
  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = ["code", "implicit"]
  allowed_oauth_scopes                 = concat(["email", "openid"], aws_cognito_resource_server.api.scope_identifiers)
  supported_identity_providers         = ["COGNITO"]
}

resource "aws_cognito_user_pool_domain" "main" {
  domain       = var.domain_prefix
  user_pool_id = aws_cognito_user_pool.pool.id
}

resource "aws_cognito_user_pool_ui_customization" "ui" {
  css        = var.css
  image_file = filebase64("${path.module}/favicon-32x32.png")

  # Refer to the aws_cognito_user_pool_domain resource's
  # user_pool_id attribute to ensure it is in an 'Active' state
  user_pool_id = aws_cognito_user_pool_domain.main.user_pool_id
}

output "pool_id" {
  value = aws_cognito_user_pool.pool.id
}
