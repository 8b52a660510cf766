/* A provided.al2023 runtime in C for the Lambda benchmark: one keep-alive connection to the Runtime API,
 * GET /invocation/next, POST the event back as the response. Build: cc -O2 -o bootstrap bootstrap.c */
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

static int fd = -1;
static char host[256];
static int port;

static void connect_api(void) {
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    inet_pton(AF_INET, host, &a.sin_addr);
    fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) { perror("connect"); exit(1); }
}

static void send_all(const char *p, size_t n) {
    while (n > 0) { ssize_t w = write(fd, p, n); if (w <= 0) { perror("write"); exit(1); } p += w; n -= w; }
}

/* Reads one response: headers into hdr (NUL-terminated), body into a malloc'd buffer. */
static char *read_response(char *hdr, size_t hdrcap, size_t *bodylen) {
    size_t n = 0;
    char *end = NULL;
    while (!end) {
        ssize_t r = read(fd, hdr + n, hdrcap - 1 - n);
        if (r <= 0) { exit(0); }
        n += r; hdr[n] = 0;
        end = strstr(hdr, "\r\n\r\n");
    }
    size_t head = end + 4 - hdr;
    size_t len = 0;
    for (char *l = hdr; l && l < end; l = strstr(l, "\r\n") ? strstr(l, "\r\n") + 2 : NULL) {
        if (strncasecmp(l, "Content-Length:", 15) == 0) len = strtoul(l + 15, NULL, 10);
    }
    char *body = malloc(len + 1);
    size_t have = n - head;
    memcpy(body, hdr + head, have);
    while (have < len) { ssize_t r = read(fd, body + have, len - have); if (r <= 0) exit(0); have += r; }
    body[len] = 0;
    *end = 0;
    *bodylen = len;
    return body;
}

int main(void) {
    const char *api = getenv("AWS_LAMBDA_RUNTIME_API");
    const char *colon = strrchr(api, ':');
    snprintf(host, sizeof host, "%.*s", (int)(colon - api), api);
    port = atoi(colon + 1);
    connect_api();
    static char hdr[65536];
    char req[512];
    for (;;) {
        int n = snprintf(req, sizeof req, "GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: %s\r\n\r\n", api);
        send_all(req, n);
        size_t len;
        char *event = read_response(hdr, sizeof hdr, &len);
        char id[128] = "";
        for (char *l = hdr; l; l = strstr(l, "\r\n") ? strstr(l, "\r\n") + 2 : NULL) {
            if (strncasecmp(l, "Lambda-Runtime-Aws-Request-Id:", 30) == 0) {
                sscanf(l + 30, " %127[^\r\n]", id);
            }
        }
        n = snprintf(req, sizeof req, "POST /2018-06-01/runtime/invocation/%s/response HTTP/1.1\r\nHost: %s\r\n"
                     "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n", id, api, len);
        send_all(req, n);
        send_all(event, len);
        free(event);
        size_t ignored;
        free(read_response(hdr, sizeof hdr, &ignored));
    }
}
