#include "errors/errorclassifier.h"

#include <QTest>

#include <chrono>

using namespace breakwater;

Q_DECLARE_METATYPE(breakwater::ErrorKind)
Q_DECLARE_METATYPE(breakwater::ErrorScope)

namespace {

constexpr qint64 kNoRetryAfter = -1;
constexpr qsizetype kMessageCap = 300;
constexpr qsizetype kVendorCodeCap = 64;
constexpr qint64 kDayMs = qint64{24} * 60 * 60 * 1000;
constexpr qsizetype kParseLimit = qsizetype{64} * 1024;
constexpr qsizetype kFiveMegabytes = qsizetype{5} * 1024 * 1024;

// A Monday, so the day names in the HTTP-date rows are right.
QDateTime fixedNow()
{
    return QDateTime(QDate(2024, 1, 1), QTime(12, 0), Qt::UTC);
}

QString scopeName(ErrorScope scope)
{
    return scope == ErrorScope::Service ? QStringLiteral("service") : QStringLiteral("request");
}

qint64 retryAfterMs(const std::optional<std::chrono::milliseconds>& retryAfter)
{
    return retryAfter ? retryAfter->count() : kNoRetryAfter;
}

QByteArray detailBody(const QByteArray& status, const QByteArray& message)
{
    return QByteArrayLiteral(R"({"detail":{"status":")") + status +
           QByteArrayLiteral(R"(","message":")") + message + QByteArrayLiteral(R"("}})");
}

// A valid error body padded with an extra field to exactly `size` bytes.
QByteArray paddedBody(qsizetype size)
{
    const QByteArray head =
        QByteArrayLiteral(R"({"detail":{"status":"quota_exceeded","message":"m"},"pad":")");
    const QByteArray tail = QByteArrayLiteral(R"("})");
    return head + QByteArray(size - head.size() - tail.size(), 'x') + tail;
}

QByteArray binaryBytes()
{
    QByteArray bytes;
    for (int i = 0; i < 512; ++i)
        bytes.append(static_cast<char>((i * 37) % 256));
    return bytes;
}

} // namespace

class TestErrorClassifier final : public QObject
{
    Q_OBJECT

private slots:
    void factories_data();
    void factories();
    void kindNames_data();
    void kindNames();
    void httpStatus_data();
    void httpStatus();
    void elevenLabsResponse_data();
    void elevenLabsResponse();
    void messageStaysBounded_data();
    void messageStaysBounded();
    void retryAfter_data();
    void retryAfter();
    void networkError_data();
    void networkError();
    void breakerCounting_data();
    void breakerCounting();
};

void TestErrorClassifier::factories_data()
{
    QTest::addColumn<ServiceError>("error");
    QTest::addColumn<ErrorKind>("kind");

    QTest::addRow("transient") << ServiceError::transient(QStringLiteral("m"))
                               << ErrorKind::Transient;
    QTest::addRow("permanent") << ServiceError::permanent(QStringLiteral("m"))
                               << ErrorKind::Permanent;
    QTest::addRow("rejected") << ServiceError::rejected(QStringLiteral("m")) << ErrorKind::Rejected;
    QTest::addRow("cancelled") << ServiceError::cancelled(QStringLiteral("m"))
                               << ErrorKind::Cancelled;
}

void TestErrorClassifier::factories()
{
    QFETCH(ServiceError, error);
    QFETCH(ErrorKind, kind);

    QCOMPARE(errorKindName(error.kind), errorKindName(kind));
    QCOMPARE(error.message, QStringLiteral("m"));
    QCOMPARE(error.httpStatus, 0);
    QCOMPARE(error.networkError, QNetworkReply::NoError);
    QVERIFY(error.vendorCode.isEmpty());
    QVERIFY(!error.retryAfter);
    QCOMPARE(error.isTransient(), kind == ErrorKind::Transient);
}

void TestErrorClassifier::kindNames_data()
{
    QTest::addColumn<ErrorKind>("kind");
    QTest::addColumn<QString>("name");

    QTest::addRow("transient") << ErrorKind::Transient << QStringLiteral("transient");
    QTest::addRow("permanent") << ErrorKind::Permanent << QStringLiteral("permanent");
    QTest::addRow("rejected") << ErrorKind::Rejected << QStringLiteral("rejected");
    QTest::addRow("cancelled") << ErrorKind::Cancelled << QStringLiteral("cancelled");
}

void TestErrorClassifier::kindNames()
{
    QFETCH(ErrorKind, kind);
    QFETCH(QString, name);

    QCOMPARE(errorKindName(kind), name);
}

void TestErrorClassifier::httpStatus_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<ErrorKind>("kind");
    QTest::addColumn<ErrorScope>("scope");
    QTest::addColumn<int>("recordedStatus");
    QTest::addColumn<QString>("message");

    const auto P = ErrorKind::Permanent;
    const auto T = ErrorKind::Transient;
    const auto S = ErrorScope::Service;
    const auto R = ErrorScope::Request;

    QTest::addRow("400") << 400 << P << R << 400 << QStringLiteral("HTTP 400 Bad Request");
    QTest::addRow("401") << 401 << P << S << 401 << QStringLiteral("HTTP 401 Unauthorized");
    QTest::addRow("402") << 402 << P << R << 402 << QStringLiteral("HTTP 402 Payment Required");
    QTest::addRow("403") << 403 << P << S << 403 << QStringLiteral("HTTP 403 Forbidden");
    QTest::addRow("404") << 404 << P << R << 404 << QStringLiteral("HTTP 404 Not Found");
    QTest::addRow("405") << 405 << P << R << 405 << QStringLiteral("HTTP 405 Method Not Allowed");
    QTest::addRow("408") << 408 << T << S << 408 << QStringLiteral("HTTP 408 Request Timeout");
    QTest::addRow("409") << 409 << P << R << 409 << QStringLiteral("HTTP 409 Conflict");
    QTest::addRow("413") << 413 << P << R << 413 << QStringLiteral("HTTP 413 Content Too Large");
    QTest::addRow("418 no phrase") << 418 << P << R << 418 << QStringLiteral("HTTP 418");
    QTest::addRow("422") << 422 << P << R << 422
                         << QStringLiteral("HTTP 422 Unprocessable Content");
    QTest::addRow("429") << 429 << T << S << 429 << QStringLiteral("HTTP 429 Too Many Requests");
    QTest::addRow("499") << 499 << P << R << 499 << QStringLiteral("HTTP 499");
    QTest::addRow("500") << 500 << T << S << 500
                         << QStringLiteral("HTTP 500 Internal Server Error");
    QTest::addRow("501") << 501 << T << S << 501 << QStringLiteral("HTTP 501 Not Implemented");
    QTest::addRow("502") << 502 << T << S << 502 << QStringLiteral("HTTP 502 Bad Gateway");
    QTest::addRow("503") << 503 << T << S << 503 << QStringLiteral("HTTP 503 Service Unavailable");
    QTest::addRow("504") << 504 << T << S << 504 << QStringLiteral("HTTP 504 Gateway Timeout");
    QTest::addRow("599") << 599 << T << S << 599 << QStringLiteral("HTTP 599");
    QTest::addRow("200 unexpected")
        << 200 << P << R << 200 << QStringLiteral("unexpected HTTP 200");
    QTest::addRow("204 unexpected")
        << 204 << P << R << 204 << QStringLiteral("unexpected HTTP 204");
    QTest::addRow("301 unexpected")
        << 301 << P << R << 301 << QStringLiteral("unexpected HTTP 301");
    QTest::addRow("100 unexpected")
        << 100 << P << R << 100 << QStringLiteral("unexpected HTTP 100");
    QTest::addRow("0 no status") << 0 << T << S << 0 << QStringLiteral("no HTTP status");
    QTest::addRow("-1 no status") << -1 << T << S << 0 << QStringLiteral("no HTTP status");
    QTest::addRow("INT_MIN no status")
        << std::numeric_limits<int>::min() << T << S << 0 << QStringLiteral("no HTTP status");
    QTest::addRow("42 invalid") << 42 << T << S << 42 << QStringLiteral("invalid HTTP status 42");
    QTest::addRow("600 invalid") << 600 << T << S << 600
                                 << QStringLiteral("invalid HTTP status 600");
    QTest::addRow("INT_MAX invalid")
        << std::numeric_limits<int>::max() << T << S << std::numeric_limits<int>::max()
        << QStringLiteral("invalid HTTP status 2147483647");
}

void TestErrorClassifier::httpStatus()
{
    QFETCH(int, status);
    QFETCH(ErrorKind, kind);
    QFETCH(ErrorScope, scope);
    QFETCH(int, recordedStatus);
    QFETCH(QString, message);

    const ServiceError error = classify::fromHttpStatus(status);
    QCOMPARE(errorKindName(error.kind), errorKindName(kind));
    QCOMPARE(scopeName(error.scope), scopeName(scope));
    QCOMPARE(error.httpStatus, recordedStatus);
    QCOMPARE(error.networkError, QNetworkReply::NoError);
    QVERIFY(error.vendorCode.isEmpty());
    QVERIFY(!error.retryAfter);
    QCOMPARE(error.message, message);
}

void TestErrorClassifier::elevenLabsResponse_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("retryAfterHeader");
    QTest::addColumn<ErrorKind>("kind");
    QTest::addColumn<ErrorScope>("scope");
    QTest::addColumn<QString>("vendorCode");
    QTest::addColumn<QString>("message");
    QTest::addColumn<qint64>("retryAfterMs");

    const auto P = ErrorKind::Permanent;
    const auto T = ErrorKind::Transient;
    const auto S = ErrorScope::Service;
    const auto R = ErrorScope::Request;
    const QByteArray none;
    const QString noCode;
    const qint64 noWait = kNoRetryAfter;

    // The documented responses, one per status and vendor code.
    QTest::addRow("400 max_character_limit_exceeded")
        << 400 << detailBody("max_character_limit_exceeded", "Text is too long") << none << P << R
        << QStringLiteral("max_character_limit_exceeded") << QStringLiteral("Text is too long")
        << noWait;
    QTest::addRow("400 voice_not_found widens to service")
        << 400 << detailBody("voice_not_found", "Voice abc not found") << none << P << S
        << QStringLiteral("voice_not_found") << QStringLiteral("Voice abc not found") << noWait;
    QTest::addRow("404 voice_not_found widens to service")
        << 404 << detailBody("voice_not_found", "Voice abc not found") << none << P << S
        << QStringLiteral("voice_not_found") << QStringLiteral("Voice abc not found") << noWait;
    QTest::addRow("422 voice_not_found stays request")
        << 422 << detailBody("voice_not_found", "x") << none << P << R
        << QStringLiteral("voice_not_found") << QStringLiteral("x") << noWait;
    QTest::addRow("401 invalid_api_key")
        << 401
        << QByteArray(R"({"detail":{"status":"invalid_api_key","message":"Invalid API key"}})")
        << none << P << S << QStringLiteral("invalid_api_key") << QStringLiteral("Invalid API key")
        << noWait;
    QTest::addRow("401 quota_exceeded")
        << 401
        << detailBody("quota_exceeded",
                      "This request exceeds your quota of 10000. You have 12 credits remaining")
        << none << P << S << QStringLiteral("quota_exceeded")
        << QStringLiteral("This request exceeds your quota of 10000. You have 12 credits remaining")
        << noWait;
    QTest::addRow("403 detail.code")
        << 403
        << QByteArray(R"({"detail":{"code":"forbidden","message":)"
                      R"("Not allowed"}})")
        << none << P << S << QStringLiteral("forbidden") << QStringLiteral("Not allowed") << noWait;
    QTest::addRow("404 detail string") << 404 << QByteArray(R"({"detail":"Not Found"})") << none
                                       << P << R << noCode << QStringLiteral("Not Found") << noWait;
    QTest::addRow("422 FastAPI array")
        << 422
        << QByteArray(R"({"detail":[{"loc":["body","text"],"msg":"field required",)"
                      R"("type":"value_error.missing"},{"loc":["body"],"msg":"second",)"
                      R"("type":"other"}]})")
        << none << P << R << QStringLiteral("value_error.missing")
        << QStringLiteral("field required") << noWait;
    QTest::addRow("422 array without type")
        << 422 << QByteArray(R"({"detail":[{"loc":["body","text"],"msg":"bad"}]})") << none << P
        << R << QStringLiteral("validation_error") << QStringLiteral("bad") << noWait;
    QTest::addRow("422 array with numeric type and msg")
        << 422 << QByteArray(R"({"detail":[{"type":7,"msg":8}]})") << none << P << R
        << QStringLiteral("validation_error") << QStringLiteral("HTTP 422 Unprocessable Content")
        << noWait;
    QTest::addRow("422 empty array") << 422 << QByteArray(R"({"detail":[]})") << none << P << R
                                     << QStringLiteral("validation_error")
                                     << QStringLiteral("HTTP 422 Unprocessable Content") << noWait;
    QTest::addRow("422 array of strings")
        << 422 << QByteArray(R"({"detail":["oops"]})") << none << P << R
        << QStringLiteral("validation_error") << QStringLiteral("HTTP 422 Unprocessable Content")
        << noWait;
    QTest::addRow("429 too_many_concurrent_requests")
        << 429 << detailBody("too_many_concurrent_requests", "Too many concurrent requests") << none
        << T << S << QStringLiteral("too_many_concurrent_requests")
        << QStringLiteral("Too many concurrent requests") << noWait;
    QTest::addRow("429 system_busy")
        << 429 << detailBody("system_busy", "Busy") << none << T << S
        << QStringLiteral("system_busy") << QStringLiteral("Busy") << noWait;
    QTest::addRow("429 rate_limit_exceeded with Retry-After")
        << 429 << detailBody("rate_limit_exceeded", "Slow down") << QByteArray("5") << T << S
        << QStringLiteral("rate_limit_exceeded") << QStringLiteral("Slow down") << qint64(5000);
    QTest::addRow("429 retry_after in body is not a header")
        << 429 << QByteArray(R"({"detail":{"status":"rate_limit_exceeded","retry_after":30}})")
        << none << T << S << QStringLiteral("rate_limit_exceeded")
        << QStringLiteral("HTTP 429 Too Many Requests") << noWait;
    QTest::addRow("500 with detail")
        << 500 << detailBody("internal_error", "Oops") << none << T << S
        << QStringLiteral("internal_error") << QStringLiteral("Oops") << noWait;
    QTest::addRow("502 HTML from a proxy")
        << 502 << QByteArray("<html><body><h1>502 Bad Gateway</h1></body></html>") << none << T << S
        << noCode << QStringLiteral("HTTP 502 Bad Gateway") << noWait;
    QTest::addRow("503 empty body") << 503 << QByteArray() << none << T << S << noCode
                                    << QStringLiteral("HTTP 503 Service Unavailable") << noWait;
    QTest::addRow("504 empty body") << 504 << QByteArray() << none << T << S << noCode
                                    << QStringLiteral("HTTP 504 Gateway Timeout") << noWait;
    QTest::addRow("408") << 408 << QByteArray() << none << T << S << noCode
                         << QStringLiteral("HTTP 408 Request Timeout") << noWait;

    // Retry-After on a response: the header is the only source.
    QTest::addRow("503 Retry-After seconds")
        << 503 << QByteArray() << QByteArray("120") << T << S << noCode
        << QStringLiteral("HTTP 503 Service Unavailable") << qint64(120'000);
    QTest::addRow("429 Retry-After future date")
        << 429 << QByteArray() << QByteArray("Mon, 01 Jan 2024 12:01:00 GMT") << T << S << noCode
        << QStringLiteral("HTTP 429 Too Many Requests") << qint64(60'000);
    QTest::addRow("429 Retry-After past date")
        << 429 << QByteArray() << QByteArray("Sun, 06 Nov 1994 08:49:37 GMT") << T << S << noCode
        << QStringLiteral("HTTP 429 Too Many Requests") << qint64(0);
    QTest::addRow("429 Retry-After garbage")
        << 429 << QByteArray() << QByteArray("soon") << T << S << noCode
        << QStringLiteral("HTTP 429 Too Many Requests") << noWait;
    QTest::addRow("429 Retry-After negative")
        << 429 << QByteArray() << QByteArray("-3") << T << S << noCode
        << QStringLiteral("HTTP 429 Too Many Requests") << noWait;
    QTest::addRow("429 Retry-After huge")
        << 429 << QByteArray() << QByteArray("99999999999") << T << S << noCode
        << QStringLiteral("HTTP 429 Too Many Requests") << noWait;
    QTest::addRow("401 keeps Retry-After")
        << 401 << detailBody("quota_exceeded", "q") << QByteArray("60") << P << S
        << QStringLiteral("quota_exceeded") << QStringLiteral("q") << qint64(60'000);

    // Shapes of `detail` and its fields.
    QTest::addRow("status wins over code")
        << 401 << QByteArray(R"({"detail":{"status":"a","code":"b","message":"m"}})") << none << P
        << S << QStringLiteral("a") << QStringLiteral("m") << noWait;
    QTest::addRow("blank status falls back to code")
        << 401 << QByteArray(R"({"detail":{"status":"  ","code":"b"}})") << none << P << S
        << QStringLiteral("b") << QStringLiteral("HTTP 401 Unauthorized") << noWait;
    QTest::addRow("numeric status falls back to code")
        << 401 << QByteArray(R"({"detail":{"status":401,"code":"b"}})") << none << P << S
        << QStringLiteral("b") << QStringLiteral("HTTP 401 Unauthorized") << noWait;
    QTest::addRow("padded status is trimmed")
        << 401 << QByteArray(R"({"detail":{"status":"  quota_exceeded \n","message":" m "}})")
        << none << P << S << QStringLiteral("quota_exceeded") << QStringLiteral("m") << noWait;
    QTest::addRow("numbers where strings belong")
        << 400 << QByteArray(R"({"detail":{"status":1,"code":2,"message":3}})") << none << P << R
        << noCode << QStringLiteral("HTTP 400 Bad Request") << noWait;
    QTest::addRow("objects where strings belong")
        << 400 << QByteArray(R"({"detail":{"status":{},"code":[],"message":null}})") << none << P
        << R << noCode << QStringLiteral("HTTP 400 Bad Request") << noWait;
    QTest::addRow("detail is a number")
        << 400 << QByteArray(R"({"detail":42})") << none << P << R << noCode
        << QStringLiteral("HTTP 400 Bad Request") << noWait;
    QTest::addRow("detail is null") << 400 << QByteArray(R"({"detail":null})") << none << P << R
                                    << noCode << QStringLiteral("HTTP 400 Bad Request") << noWait;
    QTest::addRow("detail is a bool") << 400 << QByteArray(R"({"detail":true})") << none << P << R
                                      << noCode << QStringLiteral("HTTP 400 Bad Request") << noWait;
    QTest::addRow("missing detail") << 500 << QByteArray(R"({"foo":1})") << none << T << S << noCode
                                    << QStringLiteral("HTTP 500 Internal Server Error") << noWait;
    QTest::addRow("top-level message")
        << 502 << QByteArray(R"({"message":"upstream timeout"})") << none << T << S << noCode
        << QStringLiteral("upstream timeout") << noWait;
    QTest::addRow("top-level error")
        << 502 << QByteArray(R"({"error":"bad gateway from proxy"})") << none << T << S << noCode
        << QStringLiteral("bad gateway from proxy") << noWait;
    QTest::addRow("top-level error object")
        << 502 << QByteArray(R"({"error":{"message":"nested"}})") << none << T << S << noCode
        << QStringLiteral("HTTP 502 Bad Gateway") << noWait;
    QTest::addRow("detail message beats top-level message")
        << 400 << QByteArray(R"({"detail":{"status":"s","message":"inner"},"message":"outer"})")
        << none << P << R << QStringLiteral("s") << QStringLiteral("inner") << noWait;
    QTest::addRow("control characters become spaces")
        << 400
        << QByteArray(R"({"detail":{"status":"bad\u0000code","message":"line1\nline2\u001b[31m"}})")
        << none << P << R << QStringLiteral("bad code") << QStringLiteral("line1 line2 [31m")
        << noWait;
    QTest::addRow("key-like text in a body is not scrubbed")
        << 401 << detailBody("invalid_api_key", "Invalid API key: sk_0123456789abcdef") << none << P
        << S << QStringLiteral("invalid_api_key")
        << QStringLiteral("Invalid API key: sk_0123456789abcdef") << noWait;
    QTest::addRow("long message capped")
        << 400 << detailBody("s", QByteArray(10'000, 'a')) << none << P << R << QStringLiteral("s")
        << QString(kMessageCap - 3, u'a') + QStringLiteral("...") << noWait;
    QTest::addRow("long vendor code capped")
        << 400 << detailBody(QByteArray(1'000, 'c'), "m") << none << P << R
        << QString(kVendorCodeCap, u'c') << QStringLiteral("m") << noWait;
    {
        // The cut would fall between the halves of a surrogate pair.
        const QByteArray emoji("\xF0\x9F\x98\x80");
        QTest::addRow("cap does not split a surrogate pair")
            << 400 << detailBody("s", QByteArray(296, 'a') + emoji.repeated(100)) << none << P << R
            << QStringLiteral("s") << QString(296, u'a') + QStringLiteral("...") << noWait;
    }

    // Garbage: the status alone decides.
    QTest::addRow("empty body") << 400 << QByteArray() << none << P << R << noCode
                                << QStringLiteral("HTTP 400 Bad Request") << noWait;
    QTest::addRow("not JSON") << 500 << QByteArray("Internal Server Error") << none << T << S
                              << noCode << QStringLiteral("HTTP 500 Internal Server Error")
                              << noWait;
    QTest::addRow("truncated JSON")
        << 401 << QByteArray(R"({"detail":{"status":"quota_exc)") << none << P << S << noCode
        << QStringLiteral("HTTP 401 Unauthorized") << noWait;
    QTest::addRow("JSON array at top level")
        << 401 << QByteArray(R"([{"detail":{"status":"quota_exceeded"}}])") << none << P << S
        << noCode << QStringLiteral("HTTP 401 Unauthorized") << noWait;
    QTest::addRow("JSON string at top level")
        << 400 << QByteArray(R"("detail")") << none << P << R << noCode
        << QStringLiteral("HTTP 400 Bad Request") << noWait;
    QTest::addRow("binary bytes") << 503 << binaryBytes() << none << T << S << noCode
                                  << QStringLiteral("HTTP 503 Service Unavailable") << noWait;
    QTest::addRow("5 MB body of valid JSON is not parsed")
        << 401 << detailBody("quota_exceeded", QByteArray(kFiveMegabytes, 'a')) << none << P << S
        << noCode << QStringLiteral("HTTP 401 Unauthorized") << noWait;
    QTest::addRow("5 MB body of junk")
        << 502 << QByteArray(kFiveMegabytes, '\xff') << none << T << S << noCode
        << QStringLiteral("HTTP 502 Bad Gateway") << noWait;
    QTest::addRow("exactly 64 KiB is parsed")
        << 401 << paddedBody(kParseLimit) << none << P << S << QStringLiteral("quota_exceeded")
        << QStringLiteral("m") << noWait;
    QTest::addRow("64 KiB plus one byte is not parsed")
        << 401 << paddedBody(kParseLimit + 1) << none << P << S << noCode
        << QStringLiteral("HTTP 401 Unauthorized") << noWait;
    // Both fit under the parsing limit, so they reach the JSON parser and its depth guard.
    QTest::addRow("deeply nested arrays")
        << 500 << QByteArray(30'000, '[') + QByteArray(30'000, ']') << none << T << S << noCode
        << QStringLiteral("HTTP 500 Internal Server Error") << noWait;
    QTest::addRow("deeply nested detail")
        << 400
        << QByteArray(R"({"detail":)") + QByteArray(20'000, '[') + QByteArray(20'000, ']') +
               QByteArray("}")
        << none << P << R << noCode << QStringLiteral("HTTP 400 Bad Request") << noWait;
    QTest::addRow("unterminated nesting")
        << 400 << QByteArray(R"({"detail":)") + QByteArray(60'000, '[') << none << P << R << noCode
        << QStringLiteral("HTTP 400 Bad Request") << noWait;
    QTest::addRow("error body on a 200 is ignored")
        << 200 << detailBody("quota_exceeded", "m") << none << P << R << noCode
        << QStringLiteral("unexpected HTTP 200") << noWait;
}

void TestErrorClassifier::elevenLabsResponse()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, retryAfterHeader);
    QFETCH(ErrorKind, kind);
    QFETCH(ErrorScope, scope);
    QFETCH(QString, vendorCode);
    QFETCH(QString, message);
    QFETCH(qint64, retryAfterMs);

    const ServiceError error =
        classify::fromElevenLabsResponse(status, body, retryAfterHeader, fixedNow());
    QCOMPARE(errorKindName(error.kind), errorKindName(kind));
    QCOMPARE(scopeName(error.scope), scopeName(scope));
    QCOMPARE(error.httpStatus, status);
    QCOMPARE(error.networkError, QNetworkReply::NoError);
    QCOMPARE(error.vendorCode, vendorCode);
    QCOMPARE(error.message, message);
    QCOMPARE(::retryAfterMs(error.retryAfter), retryAfterMs);
}

void TestErrorClassifier::messageStaysBounded_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");

    const QByteArray huge(kFiveMegabytes, 'z');
    QTest::addRow("huge plain text") << 500 << huge;
    QTest::addRow("huge detail message") << 400 << detailBody("s", huge);
    QTest::addRow("long detail message") << 400 << detailBody("s", QByteArray(60'000, 'z'));
    QTest::addRow("long detail string")
        << 404 << QByteArray(R"({"detail":")") + QByteArray(60'000, 'z') + QByteArray(R"("})");
    QTest::addRow("long array msg")
        << 422 << QByteArray(R"({"detail":[{"msg":")") + QByteArray(60'000, 'z') + "\"}]}";
    QTest::addRow("long top-level error")
        << 502 << QByteArray(R"({"error":")") + QByteArray(60'000, 'z') + QByteArray(R"("})");
}

void TestErrorClassifier::messageStaysBounded()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);

    const ServiceError error = classify::fromElevenLabsResponse(status, body, {}, fixedNow());
    QVERIFY2(error.message.size() <= kMessageCap,
             qPrintable(QString::number(error.message.size())));
    QVERIFY(error.vendorCode.size() <= kVendorCodeCap);
    QVERIFY(!error.message.isEmpty());
}

void TestErrorClassifier::retryAfter_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QDateTime>("now");
    QTest::addColumn<qint64>("expectedMs");

    const QDateTime now = fixedNow();
    const qint64 nothing = kNoRetryAfter;

    // delta-seconds
    QTest::addRow("0") << QByteArray("0") << now << qint64(0);
    QTest::addRow("1") << QByteArray("1") << now << qint64(1'000);
    QTest::addRow("120") << QByteArray("120") << now << qint64(120'000);
    QTest::addRow("padded") << QByteArray(" \t120 ") << now << qint64(120'000);
    QTest::addRow("leading zeros") << QByteArray("000000000000000030") << now << qint64(30'000);
    QTest::addRow("one day") << QByteArray("86400") << now << kDayMs;
    QTest::addRow("one day and a second") << QByteArray("86401") << now << nothing;
    QTest::addRow("a million seconds") << QByteArray("1000000") << now << nothing;
    QTest::addRow("overflows 64 bits") << QByteArray("99999999999999999999999") << now << nothing;
    QTest::addRow("negative") << QByteArray("-1") << now << nothing;
    QTest::addRow("plus sign") << QByteArray("+5") << now << nothing;
    QTest::addRow("fraction") << QByteArray("1.5") << now << nothing;
    QTest::addRow("unit suffix") << QByteArray("5s") << now << nothing;
    QTest::addRow("exponent") << QByteArray("1e3") << now << nothing;
    QTest::addRow("two values") << QByteArray("120, 60") << now << nothing;
    QTest::addRow("empty") << QByteArray() << now << nothing;
    QTest::addRow("blank") << QByteArray("   ") << now << nothing;
    QTest::addRow("word") << QByteArray("soon") << now << nothing;
    QTest::addRow("binary") << QByteArray("\x00\xff\x01", 3) << now << nothing;
    QTest::addRow("thousand digits") << QByteArray(1'000, '1') << now << nothing;
    QTest::addRow("seconds with invalid now") << QByteArray("10") << QDateTime() << qint64(10'000);

    // HTTP-date, in the three forms RFC 9110 asks recipients to accept
    QTest::addRow("IMF-fixdate future")
        << QByteArray("Mon, 01 Jan 2024 12:01:00 GMT") << now << qint64(60'000);
    QTest::addRow("IMF-fixdate now")
        << QByteArray("Mon, 01 Jan 2024 12:00:00 GMT") << now << qint64(0);
    QTest::addRow("IMF-fixdate past")
        << QByteArray("Sun, 06 Nov 1994 08:49:37 GMT") << now << qint64(0);
    QTest::addRow("IMF-fixdate one day ahead")
        << QByteArray("Tue, 02 Jan 2024 12:00:00 GMT") << now << kDayMs;
    QTest::addRow("IMF-fixdate beyond a day")
        << QByteArray("Tue, 02 Jan 2024 12:00:01 GMT") << now << nothing;
    QTest::addRow("IMF-fixdate far future")
        << QByteArray("Fri, 31 Dec 9999 23:59:59 GMT") << now << nothing;
    QTest::addRow("RFC 850 future")
        << QByteArray("Monday, 01-Jan-24 12:00:30 GMT") << now << qint64(30'000);
    QTest::addRow("RFC 850 past century")
        << QByteArray("Sunday, 06-Nov-94 08:49:37 GMT") << now << qint64(0);
    QTest::addRow("asctime future")
        << QByteArray("Mon Jan  1 12:00:45 2024") << now << qint64(45'000);
    QTest::addRow("asctime past") << QByteArray("Sun Nov  6 08:49:37 1994") << now << qint64(0);
    QTest::addRow("now in another zone")
        << QByteArray("Mon, 01 Jan 2024 12:01:00 GMT")
        << QDateTime(QDate(2024, 1, 1), QTime(14, 0), Qt::OffsetFromUTC, 2 * 3600)
        << qint64(60'000);
    QTest::addRow("date with invalid now")
        << QByteArray("Mon, 01 Jan 2024 12:01:00 GMT") << QDateTime() << nothing;
    QTest::addRow("numeric zone") << QByteArray("Mon, 01 Jan 2024 12:01:00 +0000") << now
                                  << nothing;
    QTest::addRow("lower-case gmt")
        << QByteArray("Mon, 01 Jan 2024 12:01:00 gmt") << now << nothing;
    QTest::addRow("day 32") << QByteArray("Mon, 32 Jan 2024 12:01:00 GMT") << now << nothing;
    QTest::addRow("30 February") << QByteArray("Fri, 30 Feb 2024 12:01:00 GMT") << now << nothing;
    QTest::addRow("unknown month") << QByteArray("Mon, 01 Foo 2024 12:01:00 GMT") << now << nothing;
    QTest::addRow("hour 25") << QByteArray("Mon, 01 Jan 2024 25:00:00 GMT") << now << nothing;
    QTest::addRow("unknown day name")
        << QByteArray("Xyz, 01 Jan 2024 12:01:00 GMT") << now << nothing;
    QTest::addRow("missing comma") << QByteArray("Mon 01 Jan 2024 12:01:00 GMT") << now << nothing;
    QTest::addRow("one-digit day in IMF-fixdate")
        << QByteArray("Mon, 1 Jan 2024 12:01:00 GMT") << now << nothing;
    QTest::addRow("ISO 8601") << QByteArray("2024-01-01T12:01:00Z") << now << nothing;
    QTest::addRow("date padded past the length cap")
        << QByteArray(100, ' ') + QByteArray("Mon, 01 Jan 2024 12:01:00 GMT") << now << nothing;
}

void TestErrorClassifier::retryAfter()
{
    QFETCH(QByteArray, header);
    QFETCH(QDateTime, now);
    QFETCH(qint64, expectedMs);

    QCOMPARE(retryAfterMs(classify::parseRetryAfter(header, now)), expectedMs);
}

void TestErrorClassifier::networkError_data()
{
    QTest::addColumn<QNetworkReply::NetworkError>("networkError");
    QTest::addColumn<ErrorKind>("kind");
    QTest::addColumn<ErrorScope>("scope");
    QTest::addColumn<QString>("message");

    const auto P = ErrorKind::Permanent;
    const auto T = ErrorKind::Transient;
    const auto S = ErrorScope::Service;
    const auto R = ErrorScope::Request;
    using N = QNetworkReply;

    QTest::addRow("NoError") << N::NoError << P << R
                             << QStringLiteral("no network error was reported");
    QTest::addRow("ConnectionRefused")
        << N::ConnectionRefusedError << T << S << QStringLiteral("connection refused");
    QTest::addRow("RemoteHostClosed")
        << N::RemoteHostClosedError << T << S << QStringLiteral("connection closed by the server");
    QTest::addRow("HostNotFound") << N::HostNotFoundError << T << S
                                  << QStringLiteral("host not found");
    QTest::addRow("Timeout") << N::TimeoutError << T << S << QStringLiteral("connection timed out");
    QTest::addRow("OperationCanceled") << N::OperationCanceledError << T << S
                                       << QStringLiteral("request timed out or was cancelled");
    QTest::addRow("SslHandshakeFailed")
        << N::SslHandshakeFailedError << P << S << QStringLiteral("TLS handshake failed");
    QTest::addRow("TemporaryNetworkFailure")
        << N::TemporaryNetworkFailureError << T << S << QStringLiteral("temporary network failure");
    QTest::addRow("NetworkSessionFailed")
        << N::NetworkSessionFailedError << T << S << QStringLiteral("network session failed");
    QTest::addRow("BackgroundRequestNotAllowed")
        << N::BackgroundRequestNotAllowedError << T << S
        << QStringLiteral("background request not allowed");
    QTest::addRow("TooManyRedirects")
        << N::TooManyRedirectsError << P << S << QStringLiteral("too many redirects");
    QTest::addRow("InsecureRedirect")
        << N::InsecureRedirectError << P << S << QStringLiteral("redirect to an insecure URL");
    QTest::addRow("UnknownNetwork")
        << N::UnknownNetworkError << T << S << QStringLiteral("unknown network error");
    QTest::addRow("ProxyConnectionRefused") << N::ProxyConnectionRefusedError << T << S
                                            << QStringLiteral("proxy refused the connection");
    QTest::addRow("ProxyConnectionClosed")
        << N::ProxyConnectionClosedError << T << S << QStringLiteral("proxy closed the connection");
    QTest::addRow("ProxyNotFound")
        << N::ProxyNotFoundError << T << S << QStringLiteral("proxy host not found");
    QTest::addRow("ProxyTimeout") << N::ProxyTimeoutError << T << S
                                  << QStringLiteral("proxy timed out");
    QTest::addRow("ProxyAuthenticationRequired") << N::ProxyAuthenticationRequiredError << P << S
                                                 << QStringLiteral("proxy authentication required");
    QTest::addRow("UnknownProxy") << N::UnknownProxyError << T << S
                                  << QStringLiteral("unknown proxy error");
    QTest::addRow("ContentAccessDenied")
        << N::ContentAccessDenied << P << S << QStringLiteral("access denied");
    QTest::addRow("ContentOperationNotPermitted") << N::ContentOperationNotPermittedError << P << S
                                                  << QStringLiteral("operation not permitted");
    QTest::addRow("ContentNotFound")
        << N::ContentNotFoundError << P << S << QStringLiteral("content not found");
    QTest::addRow("AuthenticationRequired")
        << N::AuthenticationRequiredError << P << S << QStringLiteral("authentication required");
    QTest::addRow("ContentReSend")
        << N::ContentReSendError << T << R << QStringLiteral("request could not be sent again");
    QTest::addRow("ContentConflict")
        << N::ContentConflictError << P << R << QStringLiteral("content conflict");
    QTest::addRow("ContentGone") << N::ContentGoneError << P << S << QStringLiteral("content gone");
    QTest::addRow("UnknownContent")
        << N::UnknownContentError << P << R << QStringLiteral("unknown content error");
    QTest::addRow("ProtocolUnknown")
        << N::ProtocolUnknownError << P << S << QStringLiteral("unknown protocol");
    QTest::addRow("ProtocolInvalidOperation")
        << N::ProtocolInvalidOperationError << P << S
        << QStringLiteral("invalid operation for the protocol");
    QTest::addRow("ProtocolFailure")
        << N::ProtocolFailure << T << S << QStringLiteral("protocol failure");
    QTest::addRow("InternalServer")
        << N::InternalServerError << T << S << QStringLiteral("internal server error");
    QTest::addRow("OperationNotImplemented")
        << N::OperationNotImplementedError << T << S
        << QStringLiteral("operation not implemented by the server");
    QTest::addRow("ServiceUnavailable")
        << N::ServiceUnavailableError << T << S << QStringLiteral("service unavailable");
    QTest::addRow("UnknownServer")
        << N::UnknownServerError << T << S << QStringLiteral("unknown server error");
    // Within the enum's value range (so loading it is defined behaviour) but not an enumerator.
    QTest::addRow("value Qt does not define")
        << static_cast<QNetworkReply::NetworkError>(450) << T << S
        << QStringLiteral("unrecognised network error (code 450)");
}

void TestErrorClassifier::networkError()
{
    QFETCH(QNetworkReply::NetworkError, networkError);
    QFETCH(ErrorKind, kind);
    QFETCH(ErrorScope, scope);
    QFETCH(QString, message);

    const ServiceError error = classify::fromNetworkError(networkError);
    QCOMPARE(errorKindName(error.kind), errorKindName(kind));
    QCOMPARE(scopeName(error.scope), scopeName(scope));
    QCOMPARE(error.httpStatus, 0);
    QCOMPARE(error.networkError, networkError);
    QVERIFY(error.vendorCode.isEmpty());
    QCOMPARE(error.message, message);
    QVERIFY(!error.retryAfter);
}

void TestErrorClassifier::breakerCounting_data()
{
    QTest::addColumn<ServiceError>("error");
    QTest::addColumn<bool>("counts");

    const QDateTime now = fixedNow();
    QTest::addRow("422 validation") << classify::fromElevenLabsResponse(422, {}, {}, now) << false;
    QTest::addRow("400 too long") << classify::fromElevenLabsResponse(
                                         400, detailBody("max_character_limit_exceeded", "m"), {},
                                         now)
                                  << false;
    QTest::addRow("400 voice_not_found")
        << classify::fromElevenLabsResponse(400, detailBody("voice_not_found", "m"), {}, now)
        << true;
    QTest::addRow("401 quota") << classify::fromElevenLabsResponse(401, {}, {}, now) << true;
    QTest::addRow("429") << classify::fromElevenLabsResponse(429, {}, {}, now) << true;
    QTest::addRow("503") << classify::fromElevenLabsResponse(503, {}, {}, now) << true;
    QTest::addRow("connection refused")
        << classify::fromNetworkError(QNetworkReply::ConnectionRefusedError) << true;
    QTest::addRow("rejected") << ServiceError::rejected(QStringLiteral("breaker open")) << false;
    QTest::addRow("cancelled") << ServiceError::cancelled(QStringLiteral("shutdown")) << false;
}

void TestErrorClassifier::breakerCounting()
{
    QFETCH(ServiceError, error);
    QFETCH(bool, counts);

    QCOMPARE(error.countsAgainstBreaker(), counts);
}

QTEST_APPLESS_MAIN(TestErrorClassifier)
#include "tst_errorclassifier.moc"
