"""A notifier that posts a JSON message to a webhook URL held in an Airflow connection."""

from __future__ import annotations

import json
import logging
import urllib.request
from typing import Any

from airflow.sdk import BaseNotifier, Connection

log = logging.getLogger(__name__)


def webhook_url(conn: Connection) -> str:
    """The URL of an HTTP connection: its extra ``url``, else ``schema://host[:port]/``.

    ``schema`` is the protocol (``http`` or ``https``), as Airflow's HTTP connections use it.
    """
    extra = conn.extra_dejson
    if extra.get("url"):
        return str(extra["url"])
    scheme = conn.schema or "http"
    port = f":{conn.port}" if conn.port else ""
    return f"{scheme}://{conn.host}{port}/"


class WebhookNotifier(BaseNotifier):
    """Post ``{"event", "dag_id", "run_id", "task_id", "data_interval_start", "message", ...}``.

    Parameters
    ----------
    conn_id : str
        HTTP connection with the webhook URL (see :func:`webhook_url`).
    event : str
        Kind of notification (``task_failed``, ``day_alerts``).
    message : str
        Text of the notification (a Jinja template rendered with the task context).
    details : dict, optional
        Extra JSON fields (e.g. the missing hours).
    timeout_s : float
        Seconds to wait for the webhook.
    """

    template_fields = ("message",)

    def __init__(
        self,
        conn_id: str,
        event: str,
        message: str,
        details: dict[str, Any] | None = None,
        timeout_s: float = 10.0,
    ) -> None:
        super().__init__()
        self.conn_id = conn_id
        self.event = event
        self.message = message
        self.details = details or {}
        self.timeout_s = timeout_s

    def payload(self, context: Any) -> dict[str, Any]:
        """The JSON body for one notification."""
        ti = context.get("ti") or context.get("task_instance")
        start = context.get("data_interval_start")
        end = context.get("data_interval_end")
        return {
            "event": self.event,
            "dag_id": getattr(context.get("dag"), "dag_id", None),
            "run_id": context.get("run_id"),
            "task_id": getattr(ti, "task_id", None),
            "data_interval_start": start.isoformat() if start else None,
            "data_interval_end": end.isoformat() if end else None,
            "message": self.message,
            "details": self.details,
        }

    def notify(self, context: Any) -> None:
        """Post the notification; a webhook failure is logged, never raised."""
        url = webhook_url(Connection.get(self.conn_id))
        body = json.dumps(self.payload(context), default=str).encode("utf-8")
        request = urllib.request.Request(  # noqa: S310 - the URL comes from the operator's connection
            url, data=body, headers={"Content-Type": "application/json"}, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:  # noqa: S310
                log.info("notified %s: HTTP %s", self.conn_id, response.status)
        except OSError as exc:
            log.error("notification to %s failed: %s", self.conn_id, exc)
