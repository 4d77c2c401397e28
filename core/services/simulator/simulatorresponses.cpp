#include "simulatorresponses.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace breakwater {
namespace {

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return QByteArrayLiteral("OK");
    case 400:
        return QByteArrayLiteral("Bad Request");
    case 401:
        return QByteArrayLiteral("Unauthorized");
    case 404:
        return QByteArrayLiteral("Not Found");
    case 405:
        return QByteArrayLiteral("Method Not Allowed");
    case 422:
        return QByteArrayLiteral("Unprocessable Entity");
    case 429:
        return QByteArrayLiteral("Too Many Requests");
    case 500:
        return QByteArrayLiteral("Internal Server Error");
    case 503:
        return QByteArrayLiteral("Service Unavailable");
    default:
        return QByteArrayLiteral("Unknown");
    }
}

QByteArray compact(const QJsonObject& object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace

namespace simulatorresponse {

SimulatedResponse json(int status, const QByteArray& body)
{
    return {
        status, {{QByteArrayLiteral("content-type"), QByteArrayLiteral("application/json")}}, body};
}

SimulatedResponse detailError(int status, const QString& code, const QString& message)
{
    const QJsonObject detail{{QStringLiteral("status"), code},
                             {QStringLiteral("message"), message}};
    return json(status, compact(QJsonObject{{QStringLiteral("detail"), detail}}));
}

SimulatedResponse invalidApiKey()
{
    return detailError(401, QStringLiteral("invalid_api_key"), QStringLiteral("Invalid API key"));
}

SimulatedResponse quotaExceeded()
{
    return detailError(401, QStringLiteral("quota_exceeded"),
                       QStringLiteral("This request exceeds your quota of ") %
                           QString::number(kCharacterLimit) %
                           QStringLiteral(". You have 0 credits remaining, while more credits "
                                          "are required for this request."));
}

SimulatedResponse rateLimited(std::chrono::seconds retryAfter)
{
    SimulatedResponse response = detailError(
        429, QStringLiteral("too_many_concurrent_requests"),
        QStringLiteral("Too many concurrent requests. Your current subscription is associated "
                       "with a maximum of 2 concurrent requests."));
    response.headers.append({QByteArrayLiteral("current-concurrent-requests"), "3"});
    response.headers.append({QByteArrayLiteral("maximum-concurrent-requests"), "2"});
    if (retryAfter.count() > 0)
        response.headers.append(
            {QByteArrayLiteral("retry-after"), QByteArray::number(qint64(retryAfter.count()))});
    return response;
}

SimulatedResponse serviceUnavailable()
{
    return detailError(503, QStringLiteral("service_unavailable"),
                       QStringLiteral("The service is temporarily unavailable. Please try again "
                                      "later."));
}

SimulatedResponse internalError()
{
    return detailError(500, QStringLiteral("internal_server_error"),
                       QStringLiteral("An internal server error occurred."));
}

std::optional<SimulatedResponse> forFault(FaultMode mode, std::chrono::seconds retryAfter)
{
    switch (mode) {
    case FaultMode::ServiceUnavailable:
        return serviceUnavailable();
    case FaultMode::InternalError:
        return internalError();
    case FaultMode::RateLimited:
        return rateLimited(retryAfter);
    case FaultMode::InvalidApiKey:
        return invalidApiKey();
    case FaultMode::QuotaExceeded:
        return quotaExceeded();
    default:
        return std::nullopt;
    }
}

SimulatedResponse validationError(const QString& type, const QStringList& location,
                                  const QString& message)
{
    const QJsonObject error{{QStringLiteral("type"), type},
                            {QStringLiteral("loc"), QJsonArray::fromStringList(location)},
                            {QStringLiteral("msg"), message},
                            {QStringLiteral("input"), QJsonValue::Null}};
    return json(422, compact(QJsonObject{{QStringLiteral("detail"), QJsonArray{error}}}));
}

SimulatedResponse textTooLong(qsizetype length)
{
    return detailError(400, QStringLiteral("max_character_limit_exceeded"),
                       QStringLiteral("You are sending ") % QString::number(length) %
                           QStringLiteral(" characters, but the maximum per request is ") %
                           QString::number(kMaxTextCharacters) % QStringLiteral("."));
}

SimulatedResponse notFound()
{
    return json(404, QByteArrayLiteral(R"({"detail":"Not Found"})"));
}

SimulatedResponse methodNotAllowed()
{
    return json(405, QByteArrayLiteral(R"({"detail":"Method Not Allowed"})"));
}

SimulatedResponse malformedBody()
{
    return json(200, QByteArrayLiteral(R"({"audio_base64":"//uQxAAAAAAAAAAA","alignment":{"char)"));
}

SimulatedResponse audio(const QByteArray& contentType, const QByteArray& bytes)
{
    return {200, {{QByteArrayLiteral("content-type"), contentType}}, bytes};
}

QByteArray toWire(const SimulatedResponse& response, bool keepAlive)
{
    QByteArray wire;
    wire.reserve(response.body.size() + 256);
    wire += "HTTP/1.1 " + QByteArray::number(response.status) + ' ' +
            reasonPhrase(response.status) + "\r\n";
    for (const auto& [name, value] : response.headers)
        wire += name + ": " + value + "\r\n";
    wire += "content-length: " + QByteArray::number(response.body.size()) + "\r\n";
    wire += keepAlive ? QByteArrayLiteral("connection: keep-alive\r\n\r\n")
                      : QByteArrayLiteral("connection: close\r\n\r\n");
    wire += response.body;
    return wire;
}

} // namespace simulatorresponse
} // namespace breakwater
