"""The cases API filters by label; a label of another workspace matches nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from tests.api.conftest import Api
from tests.inbox import builders
from tests.web import factories
from veille.api.models import ApiToken
from veille.core.models import Role
from veille.inbox.models import Label

pytestmark = pytest.mark.django_db


def test_the_case_list_filters_by_label(space_a, space_b):
    person = get_user_model().objects.create(username="reader")
    factories.member(person, space_a, Role.VIEWER)
    api = Api(ApiToken.issue(person, "tests")[1])
    vip = Label.objects.create(workspace=space_a, name="VIP")
    foreign = Label.objects.create(workspace=space_b, name="VIP")
    tagged, _other = builders.case(space_a), builders.case(space_a)
    vip.cases.add(tagged)
    foreign.cases.add(builders.case(space_b))
    path = f"/api/workspaces/{space_a.pk}/cases"
    assert [c["id"] for c in api.get(path, label=vip.pk).json()["items"]] == [tagged.pk]
    assert api.get(path, label=foreign.pk).json()["items"] == []
    assert len(api.get(path).json()["items"]) == 2
