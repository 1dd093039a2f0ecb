
module github.com/open-policy-agent/conftest

go 1.26.3

require (
	cuelang.org/go v0.17.1
	github.com/BurntSushi/toml v1.6.0
	github.com/CycloneDX/cyclonedx-go v0.11.0
	github.com/KeisukeYamashita/go-vcl v0.4.0
	github.com/albertocavalcante/groovy-parser-go v0.0.0-20260218103838-adf14fa75938
	github.com/basgys/goxml2json v1.1.0
	github.com/bufbuild/protocompile v0.6.0
	github.com/go-akka/configuration v0.0.0-20200606091224-a002c0330665
	github.com/go-ini/ini v1.67.0
	github.com/google/go-cmp v0.7.0
	github.com/google/go-jsonnet v0.22.0
	github.com/hashicorp/go-getter v1.8.8
	github.com/hashicorp/hcl v1.0.0
	github.com/jstemmer/go-junit-report v1.0.0
	github.com/logrusorgru/aurora v2.0.3+incompatible
	github.com/magiconair/properties v1.18.11
	github.com/moby/buildkit v0.32.2
	github.com/muhammadmuzzammil1998/jsonc v1.0.0
	github.com/olekukonko/tablewriter v1.1.4
	github.com/open-policy-agent/opa v1.19.0
	github.com/opencontainers/image-spec v1.1.1
	github.com/owenrumney/go-sarif/v2 v2.3.3
	github.com/shteou/go-ignore v0.3.1
	github.com/spdx/tools-golang v0.5.7
	github.com/spf13/cobra v1.10.2
	github.com/spf13/viper v1.21.0
	github.com/subosito/gotenv v1.6.0
	github.com/tmccombs/hcl2json v0.6.7
	github.com/tufanbarisyildirim/gonginx v0.0.0-20260220081509-8e17ce617db3
	github.com/tzrikka/xdg v1.3.2
	golang.org/x/exp v0.0.0-20260603202125-055de637280b
	google.golang.org/protobuf v1.36.12-0.20260120151049-f2248ac996af
	olympos.io/encoding/edn v0.0.0-20201019073823-d3554ca0b0a3
	oras.land/oras-go/v2 v2.6.2
	sigs.k8s.io/yaml v1.6.0
)

require (
	cel.dev/expr v0.25.2 // indirect
	cloud.google.com/go v0.123.0 // indirect
	cloud.google.com/go/auth v0.22.0 // indirect
	cloud.google.com/go/auth/oauth2adapt v0.2.8 // indirect
	cloud.google.com/go/compute/metadata v0.9.0 // indirect
	cloud.google.com/go/iam v1.11.0 // indirect
	cloud.google.com/go/monitoring v1.29.0 // indirect
	cloud.google.com/go/storage v1.64.0 // indirect
	github.com/GoogleCloudPlatform/opentelemetry-operations-go/detectors/gcp v1.33.0 // indirect
	github.com/GoogleCloudPlatform/opentelemetry-operations-go/exporter/metric v0.57.0 // indirect
	github.com/GoogleCloudPlatform/opentelemetry-operations-go/internal/resourcemapping v0.57.0 // indirect
	github.com/agext/levenshtein v1.2.3 // indirect
	github.com/agnivade/levenshtein v1.2.1 // indirect
	github.com/anchore/go-struct-converter v0.1.0 // indirect
	github.com/apparentlymart/go-textseg/v15 v15.0.0 // indirect
