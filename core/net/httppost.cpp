#include "httppost.h"

#include "curltransfer.h"

#include <chrono>

namespace breakwater {

namespace {

struct Received
{
    QByteArray body;
    QByteArray retryAfter;
};

size_t collectBody(char* data, size_t size, size_t count, void* user)
{
    auto* received = static_cast<Received*>(user);
    const qsizetype bytes = qsizetype(size * count);
    const qsizetype room = HttpAnswer::kMaxBody - received->body.size();
    if (room > 0)
        received->body.append(data, std::min(bytes, room));
    return size * count; // the rest is read and dropped, not an error
}

size_t collectHeader(char* data, size_t size, size_t count, void* user)
{
    auto* received = static_cast<Received*>(user);
    const QByteArray line = QByteArray(data, qsizetype(size * count)).trimmed();
    const qsizetype colon = line.indexOf(':');
    if (colon > 0 && line.left(colon).trimmed().compare("retry-after", Qt::CaseInsensitive) == 0)
        received->retryAfter = line.mid(colon + 1).trimmed();
    return size * count;
}

} // namespace

bool isTransientTransferError(CURLcode code)
{
    switch (code) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_NOT_BUILT_IN:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_LOGIN_DENIED:
    case CURLE_USE_SSL_FAILED:
    case CURLE_REMOTE_ACCESS_DENIED:
    case CURLE_TOO_MANY_REDIRECTS:
        return false;
    default:
        return true;
    }
}

HttpAnswer postHttp(const HttpPost& request, TransferCanceller& canceller)
{
    HttpAnswer answer;
    CurlEasy easy(curl_easy_init());
    if (!easy) {
        answer.code = CURLE_FAILED_INIT;
        answer.error = QStringLiteral("libcurl could not start a transfer");
        return answer;
    }
    CurlList headers;
    for (const auto& [name, value] : request.headers)
        appendToList(headers, name + ": " + value);
    appendToList(headers, "Expect:"); // no 100-continue round trip for small bodies

    Received received;
    char errorBuffer[CURL_ERROR_SIZE] = {};
    const QByteArray url = request.url.toEncoded();
    const auto timeoutMs =
        std::chrono::duration_cast<std::chrono::milliseconds>(request.timeout).count();
    CURL* e = easy.get();
    curl_easy_setopt(e, CURLOPT_URL, url.constData());
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_POST, 1L);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, request.body.constData());
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.size()));
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, long(timeoutMs));
    curl_easy_setopt(e, CURLOPT_USERAGENT, "Breakwater");
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, collectBody);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &received);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, collectHeader);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, &received);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, errorBuffer);

    answer.code = canceller.perform(e);
    if (answer.code != CURLE_OK) {
        answer.error = curlErrorText(answer.code, errorBuffer);
        return answer;
    }
    long status = 0;
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
    answer.status = int(status);
    answer.body = std::move(received.body);
    answer.retryAfter = std::move(received.retryAfter);
    return answer;
}

} // namespace breakwater
