"""The contract violations the example stacks plan with on this branch."""

from __future__ import annotations

# The violations the example stacks plan with today, each a defect of issue 11 whose fix is pending on its own
# branch: (stack, rule, resource name, input). When the fixes land this set becomes empty - flip it then.
KNOWN = {
    # 1: the Connection's description has characters outside ^[-a-zA-Z0-9_ ]+$
    ("dr-pair", "XC801", "use1-gcp-connection", "description"),
    ("cloud-wan", "XC801", "wan-use1-gcp-connection", "description"),
    ("cloud-wan", "XC801", "wan-euc1-gcp-connection", "description"),
    # 3: Google generates the key, and the Transport has no remoteAccountId
    ("cloud-wan", "XC805", "wan-use1-gcp-transport", "remoteAccountId"),
    ("cloud-wan", "XC805", "wan-euc1-gcp-transport", "remoteAccountId"),
    # 4: the Connection accepts a key and sends a bandwidth too
    ("dr-pair", "XC806", "use1-gcp-connection", "bandwidth"),
    ("cloud-wan", "XC806", "wan-use1-gcp-connection", "bandwidth"),
    ("cloud-wan", "XC806", "wan-euc1-gcp-connection", "bandwidth"),
    # 8: MaxSessionDuration 1800
    ("alibaba-tencent", "XC804", "tencent-report-writer-role", "maxSessionDuration"),
    # 9: mock ids (`<name>-id`) where the APIs take ids of a fixed shape
    ("dr-pair", "XC801", "use1-gcp-connection", "attachPoint.DirectConnectGateway"),
    ("dr-pair", "XC801", "use1-gcp-tgw-use1-dxgw-assoc", "associatedGatewayId"),
    ("dr-pair", "XC801", "use1-gcp-tgw-use1-dxgw-assoc", "dxGatewayId"),
    ("cloud-wan", "XC801", "core-policy", "coreNetworkId"),
    *(("cloud-wan", "XC801", f"core-att-{a}", i) for a in ("prod-euc1", "prod-use1", "shared-use1")
      for i in ("coreNetworkId", "vpcArn", "subnetArns[0]", "subnetArns[1]")),
    *(("cloud-wan", "XC801", f"wan-{r}-gcp-core-dx-attachment", i) for r in ("use1", "euc1")
      for i in ("coreNetworkId", "directConnectGatewayArn")),
    ("cloud-wan", "XC801", "wan-use1-gcp-connection", "attachPoint.DirectConnectGateway"),
    ("cloud-wan", "XC801", "wan-euc1-gcp-connection", "attachPoint.DirectConnectGateway"),
    *(("alibaba-tencent", "XC801", f"{x}-dx-tgw-apse1-dxgw-assoc", i) for x in ("ali", "tencent")
      for i in ("associatedGatewayId", "dxGatewayId")),
}
