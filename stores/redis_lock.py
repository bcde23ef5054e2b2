"""Rasa's RedisLockStore, made to fail loudly.

Rasa creates the Redis client without checking it: a server configured with an unreachable Redis
starts, reports healthy, and then answers every REST message with `200 []`. This subclass pings Redis
at start-up (stopping the server with a clear message when it is unreachable), bounds connection
attempts with a timeout, and offers `ping()` for the readiness check (channels/health.py).
"""
import logging
from typing import Any, Optional

from rasa.core.lock_store import RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from stores.privacy_sql import StoreUnavailable

logger = logging.getLogger(__name__)

CONNECT_TIMEOUT_SECONDS = 3


class CheckedRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **kwargs: Any) -> None:
        settings = {**(endpoint_config.kwargs if endpoint_config else {}), **kwargs}
        host = (endpoint_config.url if endpoint_config else None) or settings.pop("host", "localhost")
        settings.pop("type", None)
        super().__init__(host=host, **settings)
        self.red.connection_pool.connection_kwargs["socket_connect_timeout"] = CONNECT_TIMEOUT_SECONDS
        logger.info("Checking that the lock store answers (at most %s s).", CONNECT_TIMEOUT_SECONDS)
        try:
            self.ping()
        except Exception as error:  # redis.ConnectionError, TimeoutError, AuthenticationError, ...
            message = (f"Lock store unreachable: cannot connect to Redis at {host}:{settings.get('port', 6379)} "
                       f"({type(error).__name__}). Check the REDIS_* settings and that Redis is up.")
            logger.error(message)  # with the time, beside the check's own line
            raise StoreUnavailable(message) from None

    def ping(self) -> None:
        """Raise if Redis cannot answer right now."""
        self.red.ping()
