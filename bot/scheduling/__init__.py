"""Running digest jobs on time: APScheduler triggers, the job table and the leader lock."""
