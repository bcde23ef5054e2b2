"""Slack retries are answered once, even when the retry reaches another replica."""
from types import SimpleNamespace

from channels.slack import SlackInputWithApiUrl


class FakeRedis:
    """The two Redis commands the channel uses: SET key value NX EX ttl, and DEL key."""

    def __init__(self, down: bool = False):
        self.keys, self.down = {}, down

    def set(self, key, value, nx=False, ex=None):
        if self.down:
            raise ConnectionError("redis down")
        if nx and key in self.keys:
            return None
        self.keys[key] = (value, ex)
        return True

    def delete(self, key):
        if self.down:
            raise ConnectionError("redis down")
        return 1 if self.keys.pop(key, None) else 0


def request_on_replica(redis_client=None):
    lock_store = SimpleNamespace(red=redis_client) if redis_client is not None else SimpleNamespace()
    return SimpleNamespace(app=SimpleNamespace(ctx=SimpleNamespace(agent=SimpleNamespace(lock_store=lock_store))))


def replica():
    return SlackInputWithApiUrl.from_credentials({"slack_token": "xoxb-test", "slack_signing_secret": "secret"})


def test_a_retry_reaching_another_replica_is_recognised_through_redis():
    shared = FakeRedis()
    first, second = replica(), replica()
    assert first.already_seen(request_on_replica(shared), "Ev1") is False
    assert second.already_seen(request_on_replica(shared), "Ev1") is True
    assert second.already_seen(request_on_replica(shared), "Ev2") is False
    assert all(ttl == 3600 for _, ttl in shared.keys.values())


def test_without_redis_each_replica_remembers_its_own_events():
    channel = replica()
    assert channel.already_seen(request_on_replica(), "Ev1") is False
    assert channel.already_seen(request_on_replica(), "Ev1") is True
    assert replica().already_seen(request_on_replica(), "Ev1") is False  # another process cannot know


def test_redis_down_falls_back_to_the_replicas_memory():
    channel = replica()
    down = FakeRedis(down=True)
    assert channel.already_seen(request_on_replica(down), "Ev1") is False
    assert channel.already_seen(request_on_replica(down), "Ev1") is True


def test_a_failed_turn_forgets_its_event_so_the_retry_is_handled_on_any_replica():
    shared = FakeRedis()
    first, second = replica(), replica()
    assert first.already_seen(request_on_replica(shared), "Ev1") is False
    first.forget_event(request_on_replica(shared), "Ev1")  # the turn could not be stored
    assert second.already_seen(request_on_replica(shared), "Ev1") is False
    assert first.already_seen(request_on_replica(), "Ev1") is False  # nor in the replica's own memory
