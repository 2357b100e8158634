"""The xcloud-iac policy pack: policy logic in `rules` (standard library only), its pulumi_policy wrapping in
`pack`. Run with `pulumi preview --policy-pack policy/` (see policy/README.md)."""
