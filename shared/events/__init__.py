"""The event bus: CloudEvents envelopes, the transactional outbox and its relay, and
consumers with an inbox and a dead-letter queue, on kombu (RabbitMQ or the filesystem)."""
