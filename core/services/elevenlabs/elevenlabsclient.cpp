#include "elevenlabsclient.h"

#include "boundedreply.h"
#include "elevenlabsrequests.h"
#include "replyinterpretation.h"

#include <QDateTime>

#include <utility>

namespace breakwater {

namespace {

// Enough for any real ElevenLabs error body; the classifier ignores larger ones anyway.
constexpr qint64 kMaxErrorBody = qint64{64} * 1024;

} // namespace

ElevenLabsClient::ElevenLabsClient(const ElevenLabsSettings& settings, QObject* parent)
    : QObject(parent)
    , m_settings(settings)
    , m_network(this)
    , m_probe(settings, m_network, this)
{
    m_settings.apiKey = elevenlabs::resolveApiKey(settings.apiKey);
}

ElevenLabsClient::~ElevenLabsClient()
{
    // Before the network manager goes: it would delete the replies under the exchanges.
    auto dropped = std::exchange(m_inFlight, {});
    for (auto& [id, inFlight] : dropped)
        delete inFlight.exchange;
}

QString ElevenLabsClient::name() const
{
    return QStringLiteral("elevenlabs");
}

TtsService::RequestId ElevenLabsClient::synthesize(const SynthesisRequest& request, Done done)
{
    const RequestId id = ++m_lastId;
    ++m_requestsStarted;
    if (!elevenlabs::isUsableBaseUrl(m_settings.baseUrl)) {
        m_inFlight.emplace(id, InFlight{nullptr, std::move(done)});
        SynthesisResult result;
        result.error = ServiceError::permanent(QStringLiteral(
            "text-to-speech request: the base URL is not an http(s) URL with a host"));
        result.error->vendorCode = QStringLiteral("invalid_base_url");
        // Reported from the event loop like every other outcome, so callers never see done
        // re-entrantly.
        QMetaObject::invokeMethod(
            this, [this, id, result] { complete(id, result); }, Qt::QueuedConnection);
        return id;
    }

    const QString voiceId = request.voiceId.isEmpty() ? m_settings.voiceId : request.voiceId;
    const elevenlabs::ExchangeDescription exchange{
        QStringLiteral("text-to-speech request"),
        ReplyLimits{m_settings.timeout, m_settings.maxResponseBytes, kMaxErrorBody}};
    QNetworkReply* reply =
        m_network.post(elevenlabs::synthesisRequest(m_settings, voiceId),
                       elevenlabs::synthesisBody(request.text, m_settings.modelId));
    auto* bounded = new BoundedReply(
        reply, exchange.limits,
        [this, id, exchange](const BoundedReplyOutcome& outcome) {
            m_bytesReceived += static_cast<quint64>(outcome.bodyBytesReceived);
            SynthesisResult result =
                elevenlabs::synthesisResult(outcome, exchange, QDateTime::currentDateTimeUtc());
            elevenlabs::redactSecret(result.error, m_settings.apiKey);
            complete(id, result);
        },
        this);
    m_inFlight.emplace(id, InFlight{bounded, std::move(done)});
    return id;
}

void ElevenLabsClient::cancel(RequestId id)
{
    const auto found = m_inFlight.find(id);
    if (found == m_inFlight.end())
        return;
    BoundedReply* exchange = found->second.exchange;
    m_inFlight.erase(found);
    // Deleting aborts the reply, so the server sees the connection go at once.
    delete exchange;
}

void ElevenLabsClient::complete(RequestId id, const SynthesisResult& result)
{
    const auto found = m_inFlight.find(id);
    if (found == m_inFlight.end())
        return; // cancelled
    InFlight finished = std::move(found->second);
    m_inFlight.erase(found);
    if (finished.exchange)
        finished.exchange->deleteLater();
    if (finished.done)
        finished.done(result);
}

} // namespace breakwater
