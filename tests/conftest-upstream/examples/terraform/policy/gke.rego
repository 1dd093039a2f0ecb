package main
import rego.v1

deny contains sprintf("unable to find a gke container resource %s %s", [input.Resources[i].Type, input.Resources[i].Name]) if {
  not check_for_container_resources
}

check_for_container_resources if {
    some i
    name := input.Resources[i].Name
    type := input.Resources[i].Type
    startswith(type, "google_container")
}
