#include "elevenlabsrequests.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QtGlobal>

namespace breakwater::elevenlabs {

namespace {

// A request that behaves the same against the real service, a proxy and the loopback simulator.
QNetworkRequest baseRequest(const QUrl& url, const QString& apiKey, const QByteArray& accept)
{
    QNetworkRequest request(url);
    // A redirect would carry the key to wherever the Location points: it is reported instead.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                         QNetworkRequest::AlwaysNetwork);
    // Naming an encoding stops Qt from inflating bodies behind our back, so Content-Length and
    // the body cap both count the bytes that really crossed the wire.
    request.setRawHeader(QByteArrayLiteral("Accept-Encoding"), QByteArrayLiteral("identity"));
    request.setRawHeader(QByteArrayLiteral("Accept"), accept);
    if (!apiKey.isEmpty())
        request.setRawHeader(QByteArrayLiteral("xi-api-key"), apiKey.toUtf8());
    return request;
}

QByteArray acceptFor(const QString& outputFormat)
{
    // mp3 formats come back as audio/mpeg; pcm, ulaw and whatever is added later under other
    // audio types, so anything audio is welcome there.
    return outputFormat.startsWith(QLatin1String("mp3")) ? QByteArrayLiteral("audio/mpeg")
                                                         : QByteArrayLiteral("audio/*");
}

} // namespace

QString resolveApiKey(const QString& configured)
{
    QString key = configured.trimmed();
    if (!key.isEmpty())
        return key;
    return qEnvironmentVariable("ELEVENLABS_API_KEY").trimmed();
}

bool isUsableBaseUrl(const QUrl& baseUrl)
{
    const QString scheme = baseUrl.scheme();
    return baseUrl.isValid() && !baseUrl.host().isEmpty() &&
           (scheme == QLatin1String("http") || scheme == QLatin1String("https"));
}

QUrl endpointUrl(const QUrl& baseUrl, const QByteArray& encodedPath)
{
    QByteArray prefix = baseUrl.path(QUrl::FullyEncoded).toUtf8();
    while (prefix.endsWith('/'))
        prefix.chop(1);
    QUrl url = baseUrl.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment);
    url.setPath(QString::fromLatin1(prefix + encodedPath), QUrl::StrictMode);
    return url;
}

QNetworkRequest synthesisRequest(const ElevenLabsSettings& settings, const QString& voiceId)
{
    // Every byte outside the unreserved set is escaped, '/' included: a voice id must stay one
    // path segment whatever it holds.
    QUrl url = endpointUrl(settings.baseUrl, QByteArrayLiteral("/v1/text-to-speech/") +
                                                 QUrl::toPercentEncoding(voiceId));
    url.setQuery(QLatin1String("output_format=") +
                     QString::fromLatin1(QUrl::toPercentEncoding(settings.outputFormat)),
                 QUrl::StrictMode);
    QNetworkRequest request = baseRequest(url, settings.apiKey, acceptFor(settings.outputFormat));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    return request;
}

QByteArray synthesisBody(const QString& text, const QString& modelId)
{
    QJsonObject body{{QLatin1String("text"), text}};
    if (!modelId.isEmpty())
        body.insert(QLatin1String("model_id"), modelId);
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

QNetworkRequest modelsRequest(const ElevenLabsSettings& settings)
{
    return baseRequest(endpointUrl(settings.baseUrl, QByteArrayLiteral("/v1/models")),
                       settings.apiKey, QByteArrayLiteral("application/json"));
}

} // namespace breakwater::elevenlabs
