"""The OpenAPI schema is valid OpenAPI 3, served with its docs locally, and declares the error shape."""

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_generated_schema_validates_as_openapi_3(tmp_path):
    out = tmp_path / "schema.yaml"
    # --validate checks it against the OpenAPI 3 JSON schema; --fail-on-warn makes any warning fatal.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert yaml.safe_load(out.read_text())["openapi"].startswith("3.")


def served_schema(client) -> dict:
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_every_operation_declares_the_error_shape_for_its_refusals(client):
    schema = served_schema(client)
    assert schema["components"]["securitySchemes"]["token"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["token"]["description"],
    }
    operations = [(path, method, op) for path, item in schema["paths"].items() for method, op in item.items()]
    assert len(operations) >= 11
    for path, method, operation in operations:
        public = path.startswith("/api/certificates/")
        expected = (
            {"400", "404", "429"} | (set() if public else {"401", "403"}) | ({"409"} if method == "post" else set())
        )
        errors = {code for code in operation["responses"] if code.startswith("4")}
        assert errors == expected, (path, method)
        for code in errors:
            ref = operation["responses"][code]["content"]["application/json"]["schema"]["$ref"]
            assert ref == "#/components/schemas/Error", (path, method, code)


def test_the_docs_are_served_from_our_own_static_files(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.text
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "https://" not in page and "http://" not in page  # no CDN
    script = client.get("/api/docs/", {"script": ""})
    assert script.status_code == 200 and "/api/schema/" in script.text
