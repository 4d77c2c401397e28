#include "simulatedelevenlabsapi.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace breakwater {
namespace {

const QString kTextToSpeechPrefix = QStringLiteral("/v1/text-to-speech/");
const QString kDefaultOutputFormat = QStringLiteral("mp3_44100_128");

// {voice_id} or {voice_id}/stream after the prefix; the voice id itself is opaque.
bool isTextToSpeechPath(QStringView path)
{
    if (!path.startsWith(kTextToSpeechPrefix))
        return false;
    const QList<QStringView> rest = path.sliced(kTextToSpeechPrefix.size()).split(u'/');
    if (rest.isEmpty() || rest[0].isEmpty())
        return false;
    return rest.size() == 1 || (rest.size() == 2 && rest[1] == u"stream");
}

QJsonObject model(const QString& id, const QString& name, const QString& description)
{
    return {{QStringLiteral("model_id"), id},
            {QStringLiteral("name"), name},
            {QStringLiteral("description"), description},
            {QStringLiteral("can_be_finetuned"), true},
            {QStringLiteral("can_do_text_to_speech"), true},
            {QStringLiteral("can_do_voice_conversion"), false},
            {QStringLiteral("token_cost_factor"), 1.0},
            {QStringLiteral("max_characters_request_free_user"), 2500},
            {QStringLiteral("max_characters_request_subscribed_user"), 5000},
            {QStringLiteral("languages"),
             QJsonArray{QJsonObject{{QStringLiteral("language_id"), QStringLiteral("en")},
                                    {QStringLiteral("name"), QStringLiteral("English")}}}}};
}

SimulatedResponse models()
{
    static const QByteArray body =
        QJsonDocument(QJsonArray{model(QStringLiteral("eleven_multilingual_v2"),
                                       QStringLiteral("Eleven Multilingual v2"),
                                       QStringLiteral("Our most lifelike model with rich emotional "
                                                      "expression.")),
                                 model(QStringLiteral("eleven_flash_v2_5"),
                                       QStringLiteral("Eleven Flash v2.5"),
                                       QStringLiteral("Our ultra low latency model.")),
                                 model(QStringLiteral("eleven_turbo_v2_5"),
                                       QStringLiteral("Eleven Turbo v2.5"),
                                       QStringLiteral("High quality, low latency model."))})
            .toJson(QJsonDocument::Compact);
    return simulatorresponse::json(200, body);
}

bool hasUsableKey(const SimulatorRequest& request)
{
    return request.apiKey.has_value() && !request.apiKey->trimmed().isEmpty();
}

} // namespace

SimulatorEndpoint SimulatedElevenLabsApi::endpointFor(QStringView path)
{
    if (isTextToSpeechPath(path))
        return SimulatorEndpoint::TextToSpeech;
    if (path == u"/v1/models")
        return SimulatorEndpoint::Models;
    if (path == u"/v1/user/subscription")
        return SimulatorEndpoint::Subscription;
    return SimulatorEndpoint::Other;
}

SimulatedResponse SimulatedElevenLabsApi::answer(const SimulatorRequest& request)
{
    const SimulatorEndpoint endpoint = endpointFor(request.path);
    if (endpoint == SimulatorEndpoint::Other)
        return simulatorresponse::notFound();

    const QByteArray expectedMethod = endpoint == SimulatorEndpoint::TextToSpeech
                                          ? QByteArrayLiteral("POST")
                                          : QByteArrayLiteral("GET");
    if (request.method != expectedMethod)
        return simulatorresponse::methodNotAllowed();
    // The real service answers a missing key exactly like a wrong one.
    if (!hasUsableKey(request))
        return simulatorresponse::invalidApiKey();

    switch (endpoint) {
    case SimulatorEndpoint::TextToSpeech:
        return textToSpeech(request);
    case SimulatorEndpoint::Models:
        return models();
    case SimulatorEndpoint::Subscription:
        return subscription();
    case SimulatorEndpoint::Other:
        break;
    }
    return simulatorresponse::notFound();
}

SimulatedResponse SimulatedElevenLabsApi::textToSpeech(const SimulatorRequest& request)
{
    using simulatorresponse::validationError;
    const QStringList textLocation{QStringLiteral("body"), QStringLiteral("text")};

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return validationError(QStringLiteral("json_invalid"),
                               {QStringLiteral("body"), QStringLiteral("0")},
                               QStringLiteral("JSON decode error"));
    const QJsonValue textValue = document.object().value(QStringLiteral("text"));
    if (textValue.isUndefined() || textValue.isNull())
        return validationError(QStringLiteral("missing"), textLocation,
                               QStringLiteral("Field required"));
    if (!textValue.isString())
        return validationError(QStringLiteral("string_type"), textLocation,
                               QStringLiteral("Input should be a valid string"));
    const QString text = textValue.toString();
    if (text.trimmed().isEmpty())
        return validationError(QStringLiteral("string_too_short"), textLocation,
                               QStringLiteral("String should have at least 1 character"));

    const QString formatName = request.query.hasQueryItem(QStringLiteral("output_format"))
                                   ? request.query.queryItemValue(QStringLiteral("output_format"))
                                   : kDefaultOutputFormat;
    const std::optional<AudioFormat> format = parseOutputFormat(formatName);
    if (!format)
        return validationError(QStringLiteral("enum"),
                               {QStringLiteral("query"), QStringLiteral("output_format")},
                               QStringLiteral("Input should be a supported output format"));

    if (text.size() > simulatorresponse::kMaxTextCharacters)
        return simulatorresponse::textTooLong(text.size());

    m_charactersUsed += text.size();
    return simulatorresponse::audio(format->contentType(), m_audio.forText(*format, text.size()));
}

SimulatedResponse SimulatedElevenLabsApi::subscription() const
{
    const qint64 nextReset = QDateTime::currentSecsSinceEpoch() + 30 * 24 * 3600;
    const QJsonObject body{{QStringLiteral("tier"), QStringLiteral("creator")},
                           {QStringLiteral("character_count"), m_charactersUsed},
                           {QStringLiteral("character_limit"), simulatorresponse::kCharacterLimit},
                           {QStringLiteral("can_extend_character_limit"), false},
                           {QStringLiteral("next_character_count_reset_unix"), nextReset},
                           {QStringLiteral("status"), QStringLiteral("active")}};
    return simulatorresponse::json(200, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

} // namespace breakwater
