package io.github.pyconcurrent.examples;

/**
 * The "10086 hotline" conversation of the tutorial's socket servers, shared by every server
 * form: a welcome on connect, then one answer per message (up to 1024 bytes, UTF-8).
 * <pre>
 * conn.sendall('欢迎致电 10086,请输入1xxx,0转人工服务.')
 * while Flag:
 *     data = conn.recv(1024)
 *     if data == 'exit': Flag = False
 *     elif data == '0': conn.sendall('通过可能会被录音.balabala一大推')
 *     else: conn.sendall('请重新输入.')
 * </pre>
 */
final class Hotline {
    static final String WELCOME = "欢迎致电 10086,请输入1xxx,0转人工服务.";
    static final String OPERATOR = "通过可能会被录音.balabala一大推";
    static final String RETRY = "请重新输入.";
    /** The size of one {@code recv}. */
    static final int BUFSIZE = 1024;

    private Hotline() {}

    /**
     * The answer to one message, or null when the conversation ends: on {@code exit}, and (unlike
     * the Python 2 original, which would answer an empty read forever) at the end of the stream.
     */
    static String answer(String data) {
        if (data.isEmpty() || data.equals("exit")) {
            return null;
        }
        return data.equals("0") ? OPERATOR : RETRY;
    }
}
