#pragma once

#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>
#include <QUrl>
#include <QUrlQuery>

#include <optional>

namespace breakwater::testing {

// What came back for one request to the simulator, read off a finished QNetworkReply.
struct HttpAnswer
{
    bool finished = false;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    int status = 0;
    QByteArray contentType;
    QByteArray retryAfter;
    QByteArray body;

    // detail.status of an ElevenLabs error body, or empty.
    QString detailStatus() const
    {
        const QJsonValue detail = QJsonDocument::fromJson(body).object().value(u"detail");
        return detail.toObject().value(u"status").toString();
    }
};

// A real QNetworkAccessManager talking to the simulator the way the ElevenLabs client does.
class SimulatorTestClient final
{
public:
    static constexpr int kAnswerTimeoutMs = 15000;
    static inline const QByteArray kKey = QByteArrayLiteral("sim-test-key");

    explicit SimulatorTestClient(QUrl baseUrl)
        : m_baseUrl(std::move(baseUrl))
    {}

    static QByteArray body(const QString& text)
    {
        return QJsonDocument(QJsonObject{{QStringLiteral("text"), text},
                                         {QStringLiteral("model_id"),
                                          QStringLiteral("eleven_multilingual_v2")}})
            .toJson(QJsonDocument::Compact);
    }

    QNetworkReply*
    postTextToSpeech(const QByteArray& body, const std::optional<QByteArray>& key = kKey,
                     const QString& outputFormat = {},
                     const QString& path = QStringLiteral("/v1/text-to-speech/voice-1"))
    {
        QUrl url = m_baseUrl.resolved(QUrl(path));
        if (!outputFormat.isEmpty())
            url.setQuery(QUrlQuery{{QStringLiteral("output_format"), outputFormat}});
        QNetworkRequest request(url);
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/json"));
        request.setRawHeader("Accept", "audio/mpeg");
        if (key)
            request.setRawHeader("xi-api-key", *key);
        return m_network.post(request, body);
    }

    QNetworkReply* get(const QString& path, const std::optional<QByteArray>& key = kKey)
    {
        QNetworkRequest request(m_baseUrl.resolved(QUrl(path)));
        if (key)
            request.setRawHeader("xi-api-key", *key);
        return m_network.get(request);
    }

    // Waits for the reply (bounded), reads it and deletes it.
    static HttpAnswer wait(QNetworkReply* reply, int timeoutMs = kAnswerTimeoutMs)
    {
        HttpAnswer answer;
        // An event loop rather than QTest::qWaitFor, whose 10 ms naps would dominate hundreds of
        // sequential loopback requests.
        if (!reply->isFinished()) {
            QEventLoop loop;
            QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
            QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
            loop.exec();
        }
        answer.finished = reply->isFinished();
        answer.error = reply->error();
        answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        answer.contentType = reply->rawHeader("Content-Type");
        answer.retryAfter = reply->rawHeader("Retry-After");
        answer.body = reply->readAll();
        if (!answer.finished)
            reply->abort();
        reply->deleteLater();
        return answer;
    }

    HttpAnswer speak(const QString& text, const QString& outputFormat = {})
    {
        return wait(postTextToSpeech(body(text), kKey, outputFormat));
    }
    HttpAnswer models() { return wait(get(QStringLiteral("/v1/models"))); }

    QNetworkAccessManager& network() { return m_network; }

private:
    QUrl m_baseUrl;
    QNetworkAccessManager m_network;
};

} // namespace breakwater::testing
