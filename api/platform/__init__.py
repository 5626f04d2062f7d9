"""What both doors stand on: the store, the job queue and its workers, security (people,
keys, sessions, audit, limits), and how refusals answer."""
