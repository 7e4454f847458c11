package io.github.pyconcurrent.examples;

import io.github.pyconcurrent.threading.Event;
import io.github.pyconcurrent.threading.Thread;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Python: ten threads block in {@code event.wait()}; typing {@code true} sets the event and they
 * all print {@code execute}.
 * <pre>
 * def do(event):
 *     print 'start'
 *     event.wait()
 *     print 'execute'
 * event_obj = threading.Event()
 * for i in range(10):
 *     threading.Thread(target=do, args=(event_obj,)).start()
 * event_obj.clear()
 * inp = raw_input('input:')
 * if inp == 'true':
 *     event_obj.set()
 * </pre>
 * One deliberate difference: where Python's program would wait forever after any other answer,
 * this one asks again, and at the end of its input gives up (its threads are daemons, so the
 * JVM still exits). After {@code true} it joins the threads, so every {@code execute} is printed.
 */
public final class EventExample {
    private EventExample() {}

    static void doIt(Event event, PrintStream out) {
        out.println("start");
        event.waitFor();
        out.println("execute");
    }

    public static void main(String[] args) {
        run(System.in, System.out);
    }

    /** Runs the program on the given console; returns whether the event was set. */
    public static boolean run(InputStream in, PrintStream out) {
        Event eventObj = new Event();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Thread t = new Thread("event-waiter-" + i, () -> doIt(eventObj, out), true);
            t.start();
            threads.add(t);
        }
        eventObj.clear();
        BufferedReader console = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        try {
            while (true) {
                out.print("input:");
                out.flush();
                String inp = console.readLine();
                if (inp == null) {
                    out.println();
                    out.println("no more input: the event stays clear");
                    return false;
                }
                if (inp.strip().equals("true")) {
                    eventObj.set();
                    threads.forEach(Thread::join);
                    return true;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
