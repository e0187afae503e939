# Case (e): a pool created outside Terraform (aws CLI) and brought in with `terraform import`.
# The configuration states what the CLI created; after the import, plan should show no changes.
variable "name_prefix" {
  type    = string
  default = "tfinterop"
}

resource "aws_cognito_user_pool" "imported" {
  name                     = "${var.name_prefix}-imported"
  username_attributes      = ["email"]
  auto_verified_attributes = ["email"]
}
