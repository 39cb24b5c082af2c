"""The MLflow service accounts of the platform, made (or brought up to date) through the basic-auth
app's REST API as the admin user. Idempotent: run it after every start of the server.

    python3 mlflow_accounts.py http://127.0.0.1:5000 <secrets folder>

The secrets folder holds one password file per account, `mlflow-<account>` (and `mlflow-admin`, the
admin's password). A user that does not exist is created; an existing one gets the password of its
file, so replacing a file and running this again rotates that account's password. Standard library
only: it runs with any Python 3, inside and outside MLflow's virtualenv (the container image too).

Why wildcard grants: experiments and registered models are created at run time by whichever writer
comes first (MLflow gives the creator MANAGE on it), and the others must write into them (the evaluator
logs test metrics into the trainer's runs; the orchestrator moves aliases on the evaluator's models).
MLflow 3's grants with resource id '*' cover every experiment or registered model, present and future;
the server's default_permission is NO_PERMISSIONS, so an account can do only what is listed here (plus
MANAGE on what it created itself).
"""
import base64
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ADMIN = "admin"

# account -> (resource type, permission) for every resource of that type. EDIT: read, create and
# change runs/versions/tags/aliases; READ: read only. No account gets MANAGE (grant, delete).
ACCOUNTS = {
    # Creates experiments and runs, logs params/metrics, uploads checkpoints and curves.
    "trainer": [("experiment", "EDIT")],
    # Test metrics and artifacts on the trainer's runs; registers versions, tags them, moves `candidate`.
    "evaluator": [("experiment", "EDIT"), ("registered_model", "EDIT")],
    # Workflow parent runs (creates experiments and runs, tags the trainings' runs as children,
    # uploads result tables) and promotion (moves aliases on the evaluator's models).
    "orchestrator": [("experiment", "EDIT"), ("registered_model", "EDIT")],
    # Reads the alias's version and downloads its ONNX file from the run's artifacts.
    "inference": [("experiment", "READ"), ("registered_model", "READ")],
}


class AccountsError(Exception):
    pass


class AuthApi:
    """The basic-auth REST endpoints, called as the admin user."""

    def __init__(self, server, admin_password):
        self.server = server.rstrip("/")
        pair = f"{ADMIN}:{admin_password}".encode()
        self.authorization = "Basic " + base64.b64encode(pair).decode()

    def call(self, method, path, body=None, query=None):
        url = self.server + path + ("?" + urllib.parse.urlencode(query) if query else "")
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Authorization", self.authorization)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status, answer.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode(errors="replace")

    def required(self, method, path, what, body=None, query=None):
        status, text = self.call(method, path, body, query)
        if status == 401:
            raise AccountsError(f"MLflow at {self.server} refused the admin password of the secrets folder "
                                f"while {what}: the admin's password was changed without updating the file "
                                "mlflow-admin (write the current one there)")
        if status // 100 != 2:
            raise AccountsError(f"MLflow at {self.server}: {what} failed: HTTP {status} {text[:300]}")
        return text


def password(secrets, account):
    file = secrets / f"mlflow-{account}"
    try:
        value = file.read_text().strip()
    except OSError as e:
        raise AccountsError(f"cannot read the password of MLflow account '{account}' from {file}: {e.strerror}")
    # MLflow refuses passwords under 12 characters (it says so only at the admin's bootstrap).
    if len(value) < 12:
        raise AccountsError(f"{file} holds a password of {len(value)} characters; MLflow needs at least 12")
    return value


def ensure_account(api, account, secret, grants):
    status, _ = api.call("GET", "/api/2.0/mlflow/users/get", query={"username": account})
    if status == 404:
        api.required("POST", "/api/2.0/mlflow/users/create", f"creating user '{account}'",
                     body={"username": account, "password": secret})
        action = "created"
    elif status == 200:
        api.required("PATCH", "/api/2.0/mlflow/users/update-password", f"setting the password of '{account}'",
                     body={"username": account, "password": secret})
        action = "password set"
    else:
        api.required("GET", "/api/2.0/mlflow/users/get", f"looking up user '{account}'", query={"username": account})
        raise AccountsError(f"unexpected HTTP {status} looking up user '{account}'")
    for resource_type, permission in grants:
        ensure_grant(api, account, resource_type, permission)
    return action


def ensure_grant(api, account, resource_type, permission):
    """Grants `permission` on every resource of the type; a different earlier grant is replaced."""
    grant = {"username": account, "resource_type": resource_type, "resource_id": "*"}
    what = f"granting {permission} on every {resource_type} to '{account}'"
    current = json.loads(api.required("GET", "/api/3.0/mlflow/users/permissions/get", what, query=grant))
    if current.get("permission") == permission:
        return
    # A grant row exists only once per resource: an older one (another permission) goes first.
    status, text = api.call("POST", "/api/3.0/mlflow/users/permissions/revoke", grant)
    if status // 100 != 2 and status != 404 and "RESOURCE_DOES_NOT_EXIST" not in text:
        raise AccountsError(f"MLflow at {api.server}: revoking the old grant on {resource_type} of '{account}'"
                            f" failed: HTTP {status} {text[:300]}")
    api.required("POST", "/api/3.0/mlflow/users/permissions/grant", what, body=dict(grant, permission=permission))


def main(argv):
    if len(argv) != 3:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    server, secrets = argv[1], Path(argv[2])
    try:
        api = AuthApi(server, password(secrets, ADMIN))
        done = []
        for account, grants in ACCOUNTS.items():
            action = ensure_account(api, account, password(secrets, account), grants)
            done.append(f"{account} ({action})")
    except AccountsError as e:
        print(f"mlflow accounts: {e}", file=sys.stderr)
        return 1
    print("mlflow accounts: " + ", ".join(done))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
