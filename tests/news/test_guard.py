"""The SSRF guard decides on addresses; name resolution is stubbed, so no test can reach them."""

import httpcore
import pytest

from news.guard import RefusedAddress, address_is_public, checked_addresses


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.8.9.10",
        "10.0.0.5",
        "172.16.3.4",
        "172.31.255.255",
        "192.168.1.1",
        "169.254.169.254",
        "169.254.10.10",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "255.255.255.255",
        "198.18.0.1",
        "::1",
        "fe80::1",
        "fc00::1",
        "fd12:3456::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "::ffff:169.254.169.254",
        "fd00:ec2::254",
        "2002:7f00:1::1",
        "::",
    ],
)
def test_non_public_addresses_are_refused(address):
    assert not address_is_public(address)


@pytest.mark.parametrize("address", ["93.184.215.14", "1.1.1.1", "2606:4700:4700::1111", "::ffff:93.184.215.14"])
def test_public_addresses_are_allowed(address):
    assert address_is_public(address)


def stub(*addresses):
    def resolver(host, port):
        return list(addresses)

    return resolver


def test_a_name_resolving_to_a_private_address_is_refused(settings):
    settings.FEEDS_ALLOWED_PRIVATE_HOSTS = []

    with pytest.raises(RefusedAddress):
        checked_addresses("news.member.example", 443, resolver=stub("10.1.2.3"))


def test_one_private_answer_among_public_ones_refuses_the_name(settings):
    settings.FEEDS_ALLOWED_PRIVATE_HOSTS = []

    with pytest.raises(RefusedAddress):
        checked_addresses("rebind.example", 80, resolver=stub("93.184.215.14", "127.0.0.1"))


def test_a_public_name_is_connected_by_the_address_that_was_checked(settings):
    settings.FEEDS_ALLOWED_PRIVATE_HOSTS = []

    assert checked_addresses("news.member.example", 443, resolver=stub("93.184.215.14")) == ["93.184.215.14"]


def test_only_the_listed_host_and_port_pass_the_guard(settings):
    settings.FEEDS_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1:8999"]

    assert checked_addresses("127.0.0.1", 8999, resolver=stub("127.0.0.1")) == ["127.0.0.1"]
    with pytest.raises(RefusedAddress):
        checked_addresses("127.0.0.1", 9000, resolver=stub("127.0.0.1"))
    with pytest.raises(RefusedAddress):
        checked_addresses("localhost", 8999, resolver=stub("127.0.0.1"))


def test_an_unresolvable_name_is_a_connection_error(settings):
    def failing(host, port):
        raise OSError("Name or service not known")

    with pytest.raises(httpcore.ConnectError):
        checked_addresses("nowhere.invalid", 80, resolver=failing)
