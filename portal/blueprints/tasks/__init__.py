"""Tasks 督办: assigned work with an owner, a due time and acceptance criteria, followed until
it is accepted. Meetings, visits and suggestions create tasks through services.create_task."""
