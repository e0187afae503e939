# Federation (issue 15): an OIDC and a SAML identity provider and an app client that offers both, as against Amazon
# Cognito. The hashicorp/aws provider (5.x) stores provider_details exactly as DescribeIdentityProvider returns them, so
# the configuration lists every key Cognito returns for the OIDC provider (the endpoints given, so no discovery, and the
# read-only attributes_url_add_attributes) and ignores the SAML keys Cognito derives from the metadata, as users of real
# Cognito do. run.sh writes idp-metadata.xml (a static IdP metadata document with a fresh self-signed certificate).

variable "name_prefix" {
  type    = string
  default = "tfinterop"
}
variable "oidc_scopes" {
  type    = string
  default = "openid email"
}
variable "saml_identifiers" {
  type    = list(string)
  default = ["saml.interop.example"]
}

resource "aws_cognito_user_pool" "pool" {
  name                     = "${var.name_prefix}-federation"
  username_attributes      = ["email"]
  auto_verified_attributes = ["email"]
}

resource "aws_cognito_identity_provider" "oidc" {
  user_pool_id  = aws_cognito_user_pool.pool.id
  provider_name = "CorpOIDC"
  provider_type = "OIDC"

  provider_details = {
    client_id                     = "corp-client"
    client_secret                 = "corp-client-secret-value"
    authorize_scopes              = var.oidc_scopes
    attributes_request_method     = "GET"
    oidc_issuer                   = "https://idp.interop.example"
    authorize_url                 = "https://idp.interop.example/authorize"
    token_url                     = "https://idp.interop.example/token"
    attributes_url                = "https://idp.interop.example/userinfo"
    jwks_uri                      = "https://idp.interop.example/jwks"
    attributes_url_add_attributes = "false"
  }

  attribute_mapping = {
    email    = "email"
    username = "sub"
  }

  idp_identifiers = ["corp.interop.example"]
}

resource "aws_cognito_identity_provider" "saml" {
  user_pool_id  = aws_cognito_user_pool.pool.id
  provider_name = "CorpSAML"
  provider_type = "SAML"

  provider_details = {
    MetadataFile = file("${path.module}/idp-metadata.xml")
    IDPSignout   = "false"
  }

  attribute_mapping = {
    email = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"
  }

  idp_identifiers = var.saml_identifiers

  lifecycle {
    # Derived by Cognito from the metadata (and returned by Describe); not part of the configuration.
    ignore_changes = [
      provider_details["SSORedirectBindingURI"],
      provider_details["SLORedirectBindingURI"],
      provider_details["ActiveEncryptionCertificate"],
    ]
  }
}

resource "aws_cognito_user_pool_client" "web" {
  name                                 = "${var.name_prefix}-federated-web"
  user_pool_id                         = aws_cognito_user_pool.pool.id
  callback_urls                        = ["https://app.interop.example/callback"]
  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = ["code"]
  allowed_oauth_scopes                 = ["email", "openid"]
  supported_identity_providers = [
    "COGNITO",
    aws_cognito_identity_provider.oidc.provider_name,
    aws_cognito_identity_provider.saml.provider_name,
  ]
}

output "pool_id" {
  value = aws_cognito_user_pool.pool.id
}
