"""DefectDojo's generated Python client (PyPI `defectdojo-api-generated`) against a running
`gatehouse serve`: import, identical reimport and the list APIs with filters, with exact counts.

Usage: python dd_client_e2e.py BASE_URL TOKEN REPORT
  REPORT: DefectDojo's unittests/scans/trivy/kubernetes.json, 20 findings (DefectDojo asserts
  the count): two workloads, redis-follower and redis-leader, each with 5 image vulnerabilities
  (1 MEDIUM, 4 LOW) and 5 misconfigurations (2 MEDIUM, 3 LOW), so 6 Medium and 14 Low. The
  leader's 5 vulnerabilities are the follower's (same CVE, package and version, and Trivy's
  hash fields agree), so dedupe (on by default) makes them duplicates: 15 active.
Prints one `ok` line per check; the first mismatch raises (exit code 1).
"""
import sys
from datetime import date

from defectdojo_api_generated import DefectDojo

# (total, duplicate) per severity.
SEVERITIES = {"critical": (0, 0), "high": (0, 0), "medium": (6, 1), "low": (14, 4), "info": (0, 0)}
TOTAL = sum(total for total, _ in SEVERITIES.values())
DUPLICATES = sum(duplicate for _, duplicate in SEVERITIES.values())


def check(what, got, want):
    if got != want:
        raise AssertionError(f"{what}: expected {want!r}, got {got!r}")
    print(f"ok   {what}: {got!r}")


def main(base_url, token, report_path):
    with open(report_path, "rb") as f:
        report = f.read()
    dd = DefectDojo(base_url=base_url, token=token)

    imported = dd.import_scan_api.create(
        scan_type="Trivy Scan",
        file=("kubernetes.json", report),
        product_type_name="Client PT",
        product_name="client-product",
        engagement_name="client-engagement",
        auto_create_context=True,
        minimum_severity="Info",
        active=True,
        verified=False,
        tags=["ci", "client"],
        scan_date=date.today(),
        version="1.0",
    )
    after = imported.statistics.after
    check("import: statistics.after.total.total", after.total.total, TOTAL)
    check("import: statistics.after.total.active", after.total.active, TOTAL - DUPLICATES)
    check("import: statistics.after.total.duplicate", after.total.duplicate, DUPLICATES)
    for severity, (total, duplicate) in SEVERITIES.items():
        stats = getattr(after, severity)
        check(f"import: statistics.after.{severity}", (stats.total, stats.duplicate),
              (total, duplicate))
    test_id = imported.test_id
    check("import: test == test_id", imported.test, test_id)

    reimported = dd.reimport_scan_api.create(
        scan_type="Trivy Scan",
        file=("kubernetes.json", report),
        test=test_id,
    )
    delta = reimported.statistics.delta
    check("identical reimport: created", delta.created.total.total, 0)
    check("identical reimport: closed", delta.closed.total.total, 0)
    check("identical reimport: reactivated", delta.reactivated.total.total, 0)
    check("identical reimport: untouched", delta.untouched.total.total, TOTAL)
    check("identical reimport: same test", reimported.test_id, test_id)
    check("identical reimport: before == after", reimported.statistics.before.to_dict(),
          reimported.statistics.after.to_dict())

    products = dd.products_api.list(name="client-product")
    check("products?name=client-product: count", products.count, 1)
    product = products.results[0]
    check("products: id", product.id, imported.product_id)
    engagements = dd.engagements_api.list(product=product.id)
    check("engagements?product=: count", engagements.count, 1)
    check("engagements: name", engagements.results[0].name, "client-engagement")
    check("engagements: id", engagements.results[0].id, imported.engagement_id)
    tests = dd.tests_api.list(engagement=imported.engagement_id)
    check("tests?engagement=: count", tests.count, 1)
    check("tests: id", tests.results[0].id, test_id)
    check("tests: scan_type", tests.results[0].scan_type, "Trivy Scan")
    # The client sends tags as one comma-joined part.
    check("tests: tags", sorted(tests.results[0].tags), ["ci", "client"])
    check("tests: version", tests.results[0].version, "1.0")

    findings = dd.findings_api.list(test=test_id, limit=100)
    check("findings?test=: count", findings.count, TOTAL)
    check("findings?test=: page", len(findings.results), TOTAL)
    check("findings: every one in the test", {f.test for f in findings.results}, {test_id})
    for severity, (total, duplicate) in SEVERITIES.items():
        word = severity.capitalize()
        check(f"findings?severity={word}: count",
              dd.findings_api.list(test=test_id, severity=word).count, total)
        check(f"findings?severity={word}&duplicate=true: count",
              dd.findings_api.list(test=test_id, severity=word, duplicate=True).count, duplicate)
    check("findings?active=true: count",
          dd.findings_api.list(test=test_id, active=True).count, TOTAL - DUPLICATES)
    duplicates = dd.findings_api.list(test=test_id, duplicate=True).results
    check("duplicates: all image vulnerabilities of redis-leader",
          sorted(f.component_name for f in duplicates), ["apt", "apt", "bash", "bsdutils", "bsdutils"])
    check("duplicates: originals in the same test",
          {dd.findings_api.retrieve(f.duplicate_finding).test for f in duplicates}, {test_id})
    check("findings?is_mitigated=true: count",
          dd.findings_api.list(test=test_id, is_mitigated=True).count, 0)
    first = dd.findings_api.list(test=test_id, limit=5, offset=0)
    rest = dd.findings_api.list(test=test_id, limit=100, offset=5)
    check("findings pages: 5 + rest", (len(first.results), len(rest.results)), (5, TOTAL - 5))
    ids = [f.id for f in first.results] + [f.id for f in rest.results]
    check("findings pages: distinct ids", len(set(ids)), TOTAL)
    one = dd.findings_api.retrieve(ids[0])
    check("findings/{id}: id", one.id, ids[0])
    check("findings/{id}: title as listed", one.title, first.results[0].title)
    check("findings/{id}: found_by (Test_Type ids)", one.found_by, [tests.results[0].test_type])
    print(f"dd-client: every check held ({TOTAL} findings)")


if __name__ == "__main__":
    main(*sys.argv[1:4])
