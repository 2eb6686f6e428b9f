#!/usr/bin/env python3
"""Checks real API answers against openapi.yaml: every answer's status is documented for
its path and method, and its JSON body is valid under the documented schema.

    check-openapi.py OPENAPI.yaml ANSWERS.jsonl

Each line of ANSWERS: {"method": "get", "path": "/callbacks", "status": 200, "body": ...},
the path as the document names it (a template such as /callbacks/{id}/resolve). Prints one
line per answer that does not fit, and exits 1 if there is any.
"""
import json
import sys

import jsonschema
import yaml


def main(document_path, answers_path):
    with open(document_path) as handle:
        document = yaml.safe_load(handle)
    problems = 0
    checked = 0
    with open(answers_path) as handle:
        for number, line in enumerate(handle, 1):
            answer = json.loads(line)
            operation = document["paths"].get(answer["path"], {}).get(answer["method"])
            where = f'{answer["method"].upper()} {answer["path"]} {answer["status"]} (answer {number})'
            if operation is None:
                print(f"{where}: no such operation in the document")
                problems += 1
                continue
            response = operation["responses"].get(str(answer["status"]))
            if response is None:
                print(f"{where}: status not documented")
                problems += 1
                continue
            if "$ref" in response:
                response = document["components"]["responses"][response["$ref"].split("/")[-1]]
            content = response.get("content", {})
            schema = next((value["schema"] for kind, value in content.items() if "json" in kind), None)
            if schema is None:
                continue
            # The document is the root, so that #/components/... references resolve.
            root = dict(document)
            root.pop("paths")
            root.update(schema)
            try:
                jsonschema.Draft202012Validator(root).validate(answer["body"])
                checked += 1
            except jsonschema.ValidationError as error:
                print(f"{where}: {error.message} at {list(error.absolute_path)}")
                problems += 1
    print(f"{checked} answers valid, {problems} not")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
