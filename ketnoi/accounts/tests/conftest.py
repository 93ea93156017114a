import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from ketnoi.accounts.models import Enterprise
from ketnoi.org.models import Unit

from .helpers import make_user


@pytest.fixture
def client(client):
    """Pages in English (the language cookie), so that assertions on English text do not depend
    on how far the Vietnamese translation has got. Tests of Vietnamese pages use `vi_client`."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def vi_client(db):
    """A browser with no language preference: the site's default, Vietnamese."""
    return Client()


@pytest.fixture
def english():
    """Messages from services in English (outside a request the default language is Vietnamese)."""
    with translation.override("en"):
        yield


@pytest.fixture
def unit(db):
    return Unit.objects.create(code="02CI", name_vi="Chi cục Hải quan Khu vực I",
                               name_en="Customs Branch Area I", kind=Unit.Kind.BRANCH)


@pytest.fixture
def other_unit(db):
    return Unit.objects.create(code="02DS", name_vi="Chi cục Hải quan Khu vực II",
                               name_en="Customs Branch Area II", kind=Unit.Kind.BRANCH)


@pytest.fixture
def enterprise(db):
    return Enterprise.objects.create(tax_code="0314409058", name="Công ty TNHH Ánh Dương",
                                     email="lienhe@anhduong.vn")


@pytest.fixture
def other_enterprise(db):
    return Enterprise.objects.create(tax_code="0100233488", name="Công ty CP Sao Mai",
                                     email="info@saomai.vn")


@pytest.fixture
def business(enterprise):
    return make_user("lan", role="business", enterprise=enterprise, full_name="Nguyễn Thị Lan")


@pytest.fixture
def operator(enterprise):
    return make_user("kho", role="operator", enterprise=enterprise)


@pytest.fixture
def other_business(other_enterprise):
    return make_user("minh", role="business", enterprise=other_enterprise, full_name="Trần Văn Minh")


@pytest.fixture
def officer(unit):
    return make_user("officer", role="officer", unit=unit)


@pytest.fixture
def leader(unit):
    return make_user("leader", role="leader", unit=unit)


@pytest.fixture
def coordinator(db):
    return make_user("coordinator", role="coordinator")


@pytest.fixture
def party(db):
    return make_user("party", role="party")


@pytest.fixture
def admin_user(db):
    return make_user("quantri", role="admin")
