/* server.c - the demo `encrypt-server`: the notes' encryption server (reference 001). An HTTP
 * endpoint, POST /encrypt, answers with the request body encrypted by AES-256-GCM from OpenSSL's
 * libcrypto (Debian libssl-dev), one goroutine per connection. The demo traces it while `hey`
 * loads it, then stops it as Ctrl-C would, with SIGINT, and reads the trace for where the
 * handlers waited. Without libssl-dev or hey it says which package it needs. */
#define _GNU_SOURCE /* memmem and strcasestr (the request parser) */
#include <stdio.h>

#include "tracing.h"

#ifdef CH08_HAVE_OPENSSL
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "gocurrent/chan.h"
#include "gocurrent/sync.h"
#include "gocurrent/syscall.h"
#include "summary.h"

enum { MAX_BODY = 64 * 1024, KEY_BYTES = 32, NONCE_BYTES = 12, TAG_BYTES = 16 };

static unsigned char key[KEY_BYTES];

/* ---- encryption ---- */

/* Encrypts in[0..n) into out as nonce | ciphertext | tag, and returns its length, or 0 if
 * libcrypto failed. out must hold n + NONCE_BYTES + TAG_BYTES. */
static size_t encrypt(const unsigned char *in, size_t n, unsigned char *out)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int len = 0, tail = 0;
    bool ok = ctx != NULL && RAND_bytes(out, NONCE_BYTES) == 1 &&
              EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, out) == 1 &&
              EVP_EncryptUpdate(ctx, out + NONCE_BYTES, &len, in, (int)n) == 1 &&
              EVP_EncryptFinal_ex(ctx, out + NONCE_BYTES + len, &tail) == 1 &&
              EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, TAG_BYTES, out + NONCE_BYTES + len + tail) == 1;
    EVP_CIPHER_CTX_free(ctx);
    return ok ? NONCE_BYTES + (size_t)len + (size_t)tail + TAG_BYTES : 0;
}

/* ---- HTTP, just enough for POST /encrypt with keep-alive ---- */

typedef struct conn {
    int fd;
    char buf[MAX_BODY + 4096];
    size_t len; /* bytes in buf */
    unsigned char out[MAX_BODY + NONCE_BYTES + TAG_BYTES];
    char response[256 + MAX_BODY + NONCE_BYTES + TAG_BYTES];
} conn;

/* Reads more of the connection into c->buf. False at EOF or on an error. */
static bool fill(conn *c)
{
    if (c->len == sizeof c->buf)
        return false;
    ssize_t n = go_net_read(c->fd, c->buf + c->len, sizeof c->buf - c->len);
    if (n <= 0)
        return false;
    c->len += (size_t)n;
    return true;
}

/* Sends the response in one write: two (head, then body) would meet Nagle's algorithm and the
 * client's delayed ACK, 40ms per response. */
static void respond(conn *c, int status, const char *reason, const void *body, size_t n)
{
    int h = snprintf(c->response, 256,
                     "HTTP/1.1 %d %s\r\nContent-Type: application/octet-stream\r\nContent-Length: %zu\r\n\r\n",
                     status, reason, n);
    memcpy(c->response + h, body, n);
    go_net_write(c->fd, c->response, (size_t)h + n);
}

/* Serves one request from c. False when the connection is done (EOF, an error, or a request
 * too bad to go on after). */
static bool serve_one(conn *c)
{
    char *end;
    while ((end = memmem(c->buf, c->len, "\r\n\r\n", 4)) == NULL)
        if (!fill(c))
            return false;
    size_t head_len = (size_t)(end - c->buf) + 4;
    *end = '\0';
    bool keep_alive = strstr(c->buf, " HTTP/1.0\r\n") == NULL; /* HTTP/1.0: one request, then close */
    size_t body_len = 0;
    const char *cl = strcasestr(c->buf, "\r\nContent-Length:");
    if (cl != NULL)
        body_len = strtoul(cl + 17, NULL, 10);
    if (body_len > MAX_BODY) {
        static const char msg[] = "request body too large\n";
        respond(c, 413, "Request Entity Too Large", msg, sizeof msg - 1);
        return false;
    }
    while (c->len < head_len + body_len)
        if (!fill(c))
            return false;
    if (strncmp(c->buf, "POST /encrypt ", 14) != 0) {
        static const char msg[] = "POST a body to /encrypt\n";
        bool encrypt_path = strncmp(c->buf + strcspn(c->buf, " "), " /encrypt ", 10) == 0;
        respond(c, encrypt_path ? 405 : 404, encrypt_path ? "Method Not Allowed" : "Not Found", msg,
                sizeof msg - 1);
    } else {
        size_t n = encrypt((unsigned char *)c->buf + head_len, body_len, c->out);
        if (n == 0)
            respond(c, 500, "Internal Server Error", "encryption failed\n", 18);
        else
            respond(c, 200, "OK", c->out, n);
    }
    memmove(c->buf, c->buf + head_len + body_len, c->len - head_len - body_len);
    c->len -= head_len + body_len;
    return keep_alive;
}

/* ---- the server: an accept loop, a goroutine per connection ---- */

typedef struct server {
    int listen_fd;
    go_wait_group conns; /* connections being served */
    go_wait_group loop;  /* the accept loop */
} server;

typedef struct conn_args {
    server *srv;
    int fd;
} conn_args;

static void handle_conn(void *arg)
{
    conn_args a = *(conn_args *)arg;
    free(arg);
    conn *c = malloc(sizeof *c);
    if (c == NULL)
        go_panic("runtime: out of memory");
    c->fd = a.fd;
    c->len = 0;
    while (serve_one(c))
        ;
    close(c->fd);
    free(c);
    go_wg_done(&a.srv->conns);
}

static void accept_loop(void *arg)
{
    server *srv = arg;
    for (;;) {
        int fd = go_net_accept(srv->listen_fd, NULL, NULL);
        if (fd < 0) {
            if (errno == ECONNABORTED)
                continue;
            break; /* the listener was shut down */
        }
        conn_args *a = malloc(sizeof *a);
        if (a == NULL)
            go_panic("runtime: out of memory");
        *a = (conn_args){srv, fd};
        go_wg_add(&srv->conns, 1);
        go(handle_conn, a);
    }
    go_wg_done(&srv->loop);
}

/* ---- SIGINT, as signal.Notify(signalChan, os.Interrupt) ---- */

static int signal_pipe[2];

static void on_sigint(int sig)
{
    (void)sig;
    int saved = errno;
    (void)!write(signal_pipe[1], "", 1);
    errno = saved;
}

/* Sends on interrupts once SIGINT arrives: the handler only writes a byte to a pipe (what a
 * handler may do), and this goroutine turns the byte into a channel send. */
static void notify(void *arg)
{
    go_chan *interrupts = arg;
    char byte;
    go_read(signal_pipe[0], &byte, 1); /* a blocking system call, as signal.Notify's own */
    go_send(interrupts, int, SIGINT);
    go_chan_release(interrupts);
}

/* Runs hey against the server and returns how many of its requests were answered 200, and in
 * *rate the requests per second it reports. */
static int load_with_hey(int port, int requests, double *rate)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd,
             "hey -n %d -c 10 -m POST -d 'attack at dawn' http://127.0.0.1:%d/encrypt 2>&1", requests, port);
    FILE *p = popen(cmd, "r");
    if (p == NULL)
        go_panic("popen(hey): %s", strerror(errno));
    char line[256];
    int ok = 0;
    *rate = 0;
    while (fgets(line, sizeof line, p) != NULL) {
        int n;
        if (sscanf(line, " [200] %d responses", &n) == 1)
            ok = n;
        sscanf(line, " Requests/sec: %lf", rate);
    }
    pclose(p);
    return ok;
}

void demo_encrypt_server(void)
{
    if (system("command -v hey >/dev/null 2>&1") != 0) {
        printf("skipped: the load generator is missing (apt-get install hey)\n");
        return;
    }
    if (RAND_bytes(key, sizeof key) != 1)
        go_panic("RAND_bytes: no key");

    /* The notes' program: trace.Start, then serve, then wait for Ctrl-C. */
    trace_begin("server.trace");
    server srv = {socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), GO_WAIT_GROUP_INIT, GO_WAIT_GROUP_INIT};
    struct sockaddr_in addr = {.sin_family = AF_INET};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t addr_len = sizeof addr;
    if (srv.listen_fd < 0 || bind(srv.listen_fd, (struct sockaddr *)&addr, sizeof addr) != 0 ||
        listen(srv.listen_fd, 128) != 0 || getsockname(srv.listen_fd, (struct sockaddr *)&addr, &addr_len) != 0)
        go_panic("listen on 127.0.0.1: %s", strerror(errno));
    go_wg_add(&srv.loop, 1);
    go(accept_loop, &srv);

    if (pipe(signal_pipe) != 0)
        go_panic("pipe: %s", strerror(errno));
    go_chan *interrupts = go_make_chan(int, 1);
    go(notify, go_chan_retain(interrupts));
    struct sigaction sa = {.sa_handler = on_sigint}, old;
    sigaction(SIGINT, &sa, &old);

    /* Bad requests get a 4xx, and the server goes on serving. */
    char status[128];
    printf("GET /encrypt: %s\n", http_get(ntohs(addr.sin_port), "/encrypt", NULL, status));
    printf("GET /: %s\n", http_get(ntohs(addr.sin_port), "/", NULL, status));

    enum { REQUESTS = 200 };
    double rate;
    int ok = load_with_hey(ntohs(addr.sin_port), REQUESTS, &rate);
    raise(SIGINT); /* the reader's Ctrl-C */

    int sig = 0;
    go_recv(interrupts, &sig);
    sigaction(SIGINT, &old, NULL);
    shutdown(srv.listen_fd, SHUT_RDWR); /* wakes the accept loop */
    go_wg_wait(&srv.loop);
    go_wg_wait(&srv.conns);
    close(srv.listen_fd);
    close(signal_pipe[0]);
    close(signal_pipe[1]);
    go_chan_release(interrupts);
    trace_end("server.trace");

    printf("hey: %d requests, %d answered 200 OK, %.0f requests/s\n", REQUESTS, ok, rate);
    printf("signal %s: stopped accepting, waited for open connections, trace written\n",
           sig == SIGINT ? "interrupt" : "?");
    trace_summary s;
    trace_summarize("server.trace", &s);
    const trace_group *h = trace_group_of(&s, "handle_conn");
    char b[16], c[16], d[16];
    printf("server.trace: %d handle_conn goroutines (one per connection)\n", h->count);
    printf("  handlers: execution %s, network wait %s, syscall %s, sync block %s\n", trace_ms(b, h->ns[GT_EXEC]),
           trace_ms(c, h->ns[GT_NET]), trace_ms(d, h->ns[GT_SYSCALL]), trace_ms((char[16]){0}, h->ns[GT_SYNC]));
    const trace_group *n = trace_group_of(&s, "notify");
    printf("  notify: blocked in read(2) on the signal pipe for %s (syscall)\n", trace_ms(b, n->ns[GT_SYSCALL]));
    printf("the handlers mostly waited for the network: %s\n",
           truth(h->ns[GT_NET] > h->ns[GT_EXEC] && h->ns[GT_NET] > h->ns[GT_SYSCALL]));
    printf("every request answered: %s\n", truth(ok == REQUESTS));
}
#else
void demo_encrypt_server(void)
{
    printf("skipped: the server encrypts with OpenSSL's libcrypto (apt-get install libssl-dev)\n");
}
#endif
