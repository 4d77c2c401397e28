#pragma once

#include "clock/clock.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QUrl>

#include <curl/curl.h>
#include <utility>

namespace breakwater {

class TransferCanceller;

// What a server answered to a POST, or why it did not.
struct HttpAnswer
{
    CURLcode code = CURLE_OK; // CURLE_OK: a response came, whatever its status
    int status = 0;
    QByteArray body;       // the first kMaxBody bytes
    QByteArray retryAfter; // the Retry-After header, raw
    QString error;         // when code is not CURLE_OK

    static constexpr qsizetype kMaxBody = 64 * 1024;
};

struct HttpPost
{
    QUrl url;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    Duration timeout = std::chrono::seconds(10);
};

// One HTTP(S) POST through libcurl, blocking until the answer, the timeout or a cancel. No
// redirect is followed (a request must not wander off to another host) and only http and https
// are spoken.
HttpAnswer postHttp(const HttpPost& request, TransferCanceller& canceller);

// Whether a failure to get any answer is worth another try later (a refused connection, a
// timeout) or not (a malformed URL, a certificate that does not verify).
bool isTransientTransferError(CURLcode code);

} // namespace breakwater
