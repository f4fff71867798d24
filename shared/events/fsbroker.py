"""kombu's filesystem transport, made safe for "never lose an event" on one machine.

The stock transport deletes a message file as soon as a consumer takes it, so a consumer
killed before its ack loses that message, and a requeue re-routes through the exchange,
copying the message to every other bound queue. Here a taken message moves to
`unacked/<pid>/` and is deleted only on ack; a requeue moves it back; and when a channel
opens it returns the messages of consumers that died (their pid no longer runs) to the
queue. File names carry a zero-padded monotonic nanosecond clock, so messages of one
publisher are read in the order they were written.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from queue import Empty
from time import monotonic_ns

from kombu.transport import filesystem
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads


class Channel(filesystem.Channel):
    # Without a bound queue an event is dropped, as RabbitMQ does; the HTTP feed still has it.
    deadletter_queue = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._held: dict[str, Path] = {}
        self._return_orphans()

    @property
    def _unacked_root(self) -> Path:
        return Path(self.data_folder_in).parent / "unacked"

    @property
    def _unacked(self) -> Path:
        folder = self._unacked_root / str(os.getpid())
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def get_table(self, exchange):
        try:
            return super().get_table(exchange)
        except ValueError:  # created by a bind that has not written it yet: nothing bound
            return []

    def _queue_bind(self, exchange, routing_key, pattern, queue):
        # The stock version creates the exchange table and locks it in two steps, so two
        # consumers binding at once (one thread per handler, one process per service) can read
        # the new, still empty file. Here the file is opened, created if need be, and locked in
        # one go, and an empty one is an empty table.
        self.control_folder.mkdir(exist_ok=True)
        binding = filesystem.exchange_queue_t(routing_key or "", pattern or "", queue or "")
        with open(self._exchange_file(exchange), "a+b", buffering=0) as table:
            filesystem.lock(table, filesystem.LOCK_EX)
            try:
                table.seek(0)
                content = bytes_to_str(table.read())
                bindings = [filesystem.exchange_queue_t(*b) for b in loads(content)] if content else []
                if binding not in bindings:
                    bindings.insert(0, binding)
                    table.truncate(0)
                    table.write(str_to_bytes(dumps(bindings)))
            finally:
                filesystem.unlock(table)

    def _put(self, queue, payload, **kwargs):
        name = f"{monotonic_ns():020d}_{uuid.uuid4().hex}.{queue}.msg"
        final = Path(self.data_folder_out) / name
        partial = final.with_name("." + name + ".part")
        partial.write_bytes(str_to_bytes(dumps(payload)))
        os.replace(partial, final)  # readers never see half a message

    def _get(self, queue):
        wanted = f"{queue}.msg"
        for name in sorted(os.listdir(self.data_folder_in)):
            if name.startswith(".") or name.partition(".")[2] != wanted:
                continue
            held = self._unacked / name
            try:
                os.replace(Path(self.data_folder_in) / name, held)
            except FileNotFoundError:
                continue  # another consumer took it first
            payload = loads(bytes_to_str(held.read_bytes()))
            self._held[payload["properties"]["delivery_tag"]] = held
            return payload
        raise Empty()

    def basic_get(self, queue, no_ack=False, **kwargs):
        message = super().basic_get(queue, no_ack=no_ack, **kwargs)
        if message is not None and no_ack:
            self._held.pop(message.delivery_tag).unlink(missing_ok=True)
        return message

    def basic_ack(self, delivery_tag, multiple=False):
        super().basic_ack(delivery_tag, multiple=multiple)
        held = self._held.pop(delivery_tag, None)
        if held is not None:
            held.unlink(missing_ok=True)

    def basic_reject(self, delivery_tag, requeue=False):
        self.qos.reject(delivery_tag, requeue=False)
        held = self._held.pop(delivery_tag, None)
        if held is None:
            return
        if requeue:
            os.replace(held, Path(self.data_folder_in) / held.name)
        else:
            held.unlink(missing_ok=True)

    def _restore(self, message):
        # Called for unacked messages when the channel closes: put the file back where it was.
        held = self._held.pop(message.delivery_tag, None)
        if held is not None and held.exists():
            os.replace(held, Path(self.data_folder_in) / held.name)

    def _return_orphans(self) -> None:
        if not self._unacked_root.exists():
            return
        for folder in self._unacked_root.iterdir():
            if not folder.name.isdigit() or _alive(int(folder.name)):
                continue
            # Every channel does this when it opens, so several may sweep one folder at once
            # (one thread per handler): whatever another took first is already back.
            try:
                for held in folder.iterdir():
                    try:
                        os.replace(held, Path(self.data_folder_in) / held.name)
                    except FileNotFoundError:
                        pass
                folder.rmdir()
            except FileNotFoundError:
                pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Transport(filesystem.Transport):
    Channel = Channel
