# Terrarium's Python runtime: imports the handler and loops on the Lambda Runtime API.
import http.client
import importlib
import json
import logging
import os
import socket
import sys
import time
import traceback

API = os.environ["AWS_LAMBDA_RUNTIME_API"]
BASE = "/2018-06-01/runtime"


class Connection(http.client.HTTPConnection):
    # Small request/answer exchanges: without TCP_NODELAY, Nagle and delayed ACKs add ~40 ms each.
    def connect(self):
        super().connect()
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


conn = Connection(API)


def call(method, path, body=None, headers=None):
    global conn
    for attempt in range(2):
        try:
            conn.request(method, BASE + path, body=body, headers=headers or {})
            r = conn.getresponse()
            return r, r.read()
        except (ConnectionError, http.client.HTTPException):
            if attempt:
                raise
            conn.close()
            

class Connection(http.client.HTTPConnection):
    # Small request/answer exchanges: without TCP_NODELAY, Nagle and delayed ACKs add ~40 ms each.
    def connect(self):
        super().connect()
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


conn = Connection(API)


def error_body(e, error_type=None):
    return json.dumps({
        "errorMessage": str(e),
        "errorType": error_type or type(e).__name__,
        "requestId": "",
        "stackTrace": traceback.format_list(traceback.extract_tb(e.__traceback__))[1:] if e.__traceback__ else [],
    })


def log_error(e, error_type=None):
    lines = "".join(traceback.format_exception(type(e), e, e.__traceback__))
    print("[ERROR] " + (error_type or type(e).__name__) + ": " + str(e) + "\n" + lines.rstrip(), flush=True)


class Context:
    def __init__(self, headers):
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.aws_request_id = headers.get("Lambda-Runtime-Aws-Request-Id")
        self.invoked_function_arn = headers.get("Lambda-Runtime-Invoked-Function-Arn")
        self._deadline = int(headers.get("Lambda-Runtime-Deadline-Ms", "0"))
        cc = headers.get("Lambda-Runtime-Client-Context")
        self.client_context = json.loads(cc) if cc else None
        ci = headers.get("Lambda-Runtime-Cognito-Identity")
        self.identity = json.loads(ci) if ci else None

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline - int(time.time() * 1000))


class RequestIdFilter(logging.Filter):
    request_id = ""

    def filter(self, record):
        record.aws_request_id = RequestIdFilter.request_id
        return True


def configure_logging():
    # As AWS's Python runtime: "[LEVEL]\t<time>Z\t<request id>\t<message>" on the root logger.
    handler = logging.StreamHandler(sys.stdout)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(logging.Formatter(
        "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n", "%Y-%m-%dT%H:%M:%S"))
    handler.formatter.converter = time.gmtime
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.WARNING)


def load_handler():
    spec = os.environ.get("_HANDLER", "")
    module_path, _, func_name = spec.rpartition(".")
    if not module_path or not func_name:
        raise_init("Runtime.MalformedHandlerName", "Bad handler '" + spec + "': not enough values to unpack (expected 2, got 1)")
    sys.path.insert(0, os.environ.get("LAMBDA_TASK_ROOT", os.getcwd()))
    try:
        module = importlib.import_module(module_path.replace("/", "."))
    except ImportError as e:
        raise_init("Runtime.ImportModuleError", "Unable to import module '" + module_path + "': " + str(e))
    except SyntaxError as e:
        raise_init("Runtime.UserCodeSyntaxError", "Syntax error in module '" + module_path + "': " + str(e))
    except Exception as e:
        log_error(e)
        raise_init(type(e).__name__, str(e))
    fn = getattr(module, func_name, None)
    if fn is None:
        raise_init("Runtime.HandlerNotFound", "Handler '" + func_name + "' missing on module '" + module_path + "'")
    return fn


def raise_init(error_type, message):
    print("[ERROR] " + error_type + ": " + message, flush=True)
    call("POST", "/init/error", json.dumps({"errorMessage": message, "errorType": error_type, "stackTrace": []}),
         {"Lambda-Runtime-Function-Error-Type": error_type})
    sys.exit(1)


def main():
    configure_logging()
    handler = load_handler()
    while True:
        r, body = call("GET", "/invocation/next")
        headers = r.headers
        request_id = headers.get("Lambda-Runtime-Aws-Request-Id")
        RequestIdFilter.request_id = request_id
        os.environ["_X_AMZN_TRACE_ID"] = headers.get("Lambda-Runtime-Trace-Id", "")
        try:
            event = json.loads(body) if body else {}
            result = handler(event, Context(headers))
        except Exception as e:
            log_error(e)
            call("POST", "/invocation/" + request_id + "/error", error_body(e),
                 {"Lambda-Runtime-Function-Error-Type": "Unhandled"})
            continue
        try:
            out = json.dumps(result)
        except (TypeError, ValueError) as e:
            message = "Unable to marshal response: " + str(e)
            print("[ERROR] Runtime.MarshalError: " + message, flush=True)
            call("POST", "/invocation/" + request_id + "/error",
                 json.dumps({"errorMessage": message, "errorType": "Runtime.MarshalError", "requestId": request_id,
                             "stackTrace": []}),
                 {"Lambda-Runtime-Function-Error-Type": "Runtime.MarshalError"})
            continue
        call("POST", "/invocation/" + request_id + "/response", out)


if __name__ == "__main__":
    main()
