package io.github.pyconcurrent.examples;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The launcher behind {@code ./run example NAME [args...]}: runs one of the tutorial's programs by
 * its name; {@code --list} prints every name with the Python program it stands for.
 *
 * <p>It calls the program's {@code main} and returns, so the JVM ends as the program's own would:
 * after its last non-daemon thread (and, for the multiprocessing examples, its last child).
 */
public final class Examples {
    /** A program's entry point: its {@code main}. */
    @FunctionalInterface
    interface Main {
        void main(String[] args) throws Exception;
    }

    /** One program: what it is in the tutorial's Python, and its {@code main}. */
    record Program(String python, Main main) {}

    /** Every program, in the tutorial's order. */
    static final Map<String, Program> PROGRAMS = new LinkedHashMap<>();

    static {
        add("hotline-server", "SocketServer.ThreadingTCPServer(('127.0.0.1',8009), MyServer): the 10086 hotline [PORT]", HotlineServer::main);
        add("hotline-client", "the 10086 client: socket.connect, recv(1024), raw_input, sendall [PORT, default 8009]", HotlineClient::main);
        add("forking-hotline-server", "SocketServer.ForkingTCPServer(('127.0.0.1',8009), MyServer): the same, a child JVM per call [PORT]", ForkingHotlineServer::main);
        add("select-server", "select.select([sk],[],[],1) + threading.Thread(target=process) per client [PORT, default 8002]", SelectServer::main);
        add("threads", "threading.Thread(target=show, args=(i,)): sleep 2 s, print 'thread', i", Threads::main);
        add("race", "gl_num += 1 in ten threads, no lock [ITERATIONS]", CounterRace::main);
        add("rlock", "gl_num += 1 in ten threads under threading.RLock() [ITERATIONS]", CounterRLock::main);
        add("event", "threading.Event(): ten threads wait, input 'true' sets it", EventExample::main);
        add("say-hi", "multiprocessing.Process(target=foo, args=(i,)): print 'say hi', i [START_METHOD]", SayHi::main);
        add("list-not-shared", "li.append(i) in ten Processes: each child sees only its own [START_METHOD]", ListNotShared::main);
        add("shared-array", "Array('i', [11,22,33,44]) written by two Processes [START_METHOD]", SharedArrayExample::main);
        add("manager-dict", "Manager().dict() filled by two Processes [START_METHOD]", ManagerDictExample::main);
        add("process-lock", "twenty Processes update an Array under multiprocessing.RLock() [START_METHOD]", ProcessLockExample::main);
        add("pool", "Pool(5).apply_async(func=Foo, args=(i,), callback=Bar); close(); join()", PoolExample::main);
        add("pool-futures", "the same with ProcessPoolExecutor(5): submit(Foo, i) ten times, print each as_completed result", FuturesPoolExample::main);
        add("greenlet", "greenlet test1/test2 switching: 12 56 34 78", GreenletTutorial::main);
        add("gevent", "gevent.joinall([gevent.spawn(f, url), ...]) against local pages", GeventTutorial::main);
    }

    private static void add(String name, String python, Main main) {
        PROGRAMS.put(name, new Program(python, main));
    }

    private Examples() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--list") || args[0].equals("-h") || args[0].equals("--help")) {
            list(args.length == 0 ? System.err : System.out);
            if (args.length == 0) {
                System.exit(2);
            }
            return;
        }
        Program program = PROGRAMS.get(args[0]);
        if (program == null) {
            System.err.println("no example named '" + args[0] + "'; ./run example --list shows them");
            System.exit(2);
        }
        program.main().main(Arrays.copyOfRange(args, 1, args.length));
    }

    /** Prints {@code ./run example NAME}'s names and their Python programs. */
    static void list(PrintStream out) {
        out.println("usage: ./run example NAME [args...]   (the tutorial's programs, in its order)");
        int width = PROGRAMS.keySet().stream().mapToInt(String::length).max().orElse(0);
        PROGRAMS.forEach((name, program) -> out.printf("  %-" + width + "s  %s%n", name, program.python()));
    }
}
