from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from . import selectors, services

router = Router(tags=["accounts"])


class TokenIn(Schema):
    username: str
    password: str
    name: str = "API"


class TokenOut(Schema):
    token: str
    id: int
    name: str
    prefix: str


class RoleOut(Schema):
    role: str
    unit_id: int | None
    enterprise_id: int | None


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    email: str
    language: str
    roles: list[RoleOut]


@router.post("/auth/token", auth=None, response={201: TokenOut}, summary="Exchange a username and password for a token")
def auth_token(request, payload: TokenIn):
    user = authenticate(request, username=payload.username.strip(), password=payload.password)
    if user is None:
        raise HttpError(401, _("The username or password is not right."))
    token, key = services.token_create(user=user, name=payload.name or "API")
    return Status(201, {"token": key, "id": token.pk, "name": token.name, "prefix": token.prefix})


@router.get("/me", response=MeOut, summary="The signed-in user and their roles")
def me(request):
    user = request.auth
    return {
        "id": user.pk, "username": user.get_username(), "full_name": user.full_name,
        "email": user.email, "language": user.language,
        "roles": [
            {"role": ra.role, "unit_id": ra.unit_id, "enterprise_id": ra.enterprise_id}
            for ra in selectors.roles_of(user=user)
        ],
    }
