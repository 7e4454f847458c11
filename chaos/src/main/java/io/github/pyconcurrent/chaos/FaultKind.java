package io.github.pyconcurrent.chaos;

/** What the fault injector can do to a part; each kind is struck at least once per run of two minutes. */
enum FaultKind {
    KILL_POOL_WORKER("kill pool worker"),
    KILL_DICT_WRITER("kill dict writer mid-merge"),
    KILL_LOCK_HOLDER("kill lock holder"),
    KILL_QUEUE_PRODUCER("kill queue producer"),
    KILL_QUEUE_CONSUMER("kill queue consumer"),
    KILL_SERVER_CHILD("kill prefork server child mid-request"),
    KILL_CLUSTER_MEMBER("kill cluster member"),
    PAUSE("SIGSTOP 1-5 s"),
    GARBAGE_CLIENT("garbage client"),
    RESET_CLIENT("reset client"),
    CONNECTION_BURST("1000-connection burst");

    final String label;

    FaultKind(String label) {
        this.label = label;
    }
}
