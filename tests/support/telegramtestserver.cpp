#include "telegramtestserver.h"

#include "httptestlistener.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QRegularExpression>

#include <algorithm>
#include <array>

namespace breakwater::testing {

namespace {

constexpr qsizetype kMaxTextLength = 4096;

// The tags Telegram's HTML mode knows (https://core.telegram.org/bots/api#html-style).
constexpr std::array<QLatin1StringView, 15> kTags = {
    QLatin1StringView("b"),    QLatin1StringView("strong"),     QLatin1StringView("i"),
    QLatin1StringView("em"),   QLatin1StringView("u"),          QLatin1StringView("ins"),
    QLatin1StringView("s"),    QLatin1StringView("strike"),     QLatin1StringView("del"),
    QLatin1StringView("a"),    QLatin1StringView("code"),       QLatin1StringView("pre"),
    QLatin1StringView("span"), QLatin1StringView("tg-spoiler"), QLatin1StringView("blockquote"),
};

bool isKnownTag(QStringView name)
{
    return std::any_of(kTags.begin(), kTags.end(),
                       [name](QLatin1StringView tag) { return name == tag; });
}

// &lt; &gt; &amp; &quot; and numeric references are all Telegram decodes; anything else is an
// error. Appends the character to `shown`; returns the entity's length, 0 when invalid.
qsizetype readEntity(QStringView html, qsizetype at, QString& shown)
{
    const qsizetype end = html.indexOf(u';', at);
    if (end < 0 || end - at > 12)
        return 0;
    const QStringView name = html.sliced(at + 1, end - at - 1);
    static constexpr std::array<std::pair<QLatin1StringView, char16_t>, 4> kNamed = {{
        {QLatin1StringView("lt"), u'<'},
        {QLatin1StringView("gt"), u'>'},
        {QLatin1StringView("amp"), u'&'},
        {QLatin1StringView("quot"), u'"'},
    }};
    for (const auto& [entity, character] : kNamed) {
        if (name == entity) {
            shown += QChar(character);
            return end - at + 1;
        }
    }
    if (name.size() < 2 || name.front() != u'#')
        return 0;
    bool ok = false;
    const bool hex = name.at(1) == u'x' || name.at(1) == u'X';
    const uint code = hex ? name.sliced(2).toUInt(&ok, 16) : name.sliced(1).toUInt(&ok, 10);
    if (!ok || code == 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
        return 0;
    const char32_t character = code;
    shown += QString::fromUcs4(&character, 1);
    return end - at + 1;
}

QJsonObject telegramError(int status, const QString& description, int retryAfter)
{
    QJsonObject error{{QStringLiteral("ok"), false},
                      {QStringLiteral("error_code"), status},
                      {QStringLiteral("description"), description}};
    if (retryAfter >= 0)
        error.insert(QStringLiteral("parameters"),
                     QJsonObject{{QStringLiteral("retry_after"), retryAfter}});
    return error;
}

// A number that is a whole number (as JSON has it), or "@name", or a numeric string.
bool isValidChatId(const QJsonValue& chatId)
{
    if (chatId.isDouble())
        return chatId.toDouble() == double(chatId.toInteger());
    if (!chatId.isString())
        return false;
    static const QRegularExpression form(QStringLiteral("^(@[A-Za-z0-9_]{1,32}|-?[0-9]{1,20})$"));
    return form.match(chatId.toString()).hasMatch();
}

} // namespace

TelegramTestServer::TelegramTestServer(QByteArray botToken, QObject* parent)
    : QObject(parent)
    , m_token(std::move(botToken))
    , m_listener(std::make_unique<HttpTestListener>(
          [this](const HttpTestRequest& request) { return handle(request); }))
{}

TelegramTestServer::~TelegramTestServer() = default;

bool TelegramTestServer::isListening() const
{
    return m_listener->isListening();
}

QUrl TelegramTestServer::baseUrl() const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(m_listener->port());
    return url;
}

std::vector<qint64> TelegramTestServer::requestTimesMs() const
{
    std::vector<qint64> times;
    for (const Request& request : m_requests)
        times.push_back(request.receivedAtMs);
    return times;
}

QStringList TelegramTestServer::refusals() const
{
    QStringList descriptions;
    for (const Request& request : m_requests) {
        if (request.status != 0 && request.status != 200)
            descriptions.append(
                QStringLiteral("%1 %2").arg(request.status).arg(request.description));
    }
    return descriptions;
}

void TelegramTestServer::answerTooManyRequests(int times, int retryAfterSeconds)
{
    const QByteArray description =
        "Too Many Requests: retry after " + QByteArray::number(retryAfterSeconds);
    for (int i = 0; i < times; ++i)
        m_scripted.push_back({429, description, retryAfterSeconds});
}

void TelegramTestServer::answerStatus(int times, int status, const QByteArray& description)
{
    for (int i = 0; i < times; ++i)
        m_scripted.push_back({status, description, -1});
}

void TelegramTestServer::setDown(bool down)
{
    m_listener->setDown(down);
}

std::optional<QString> TelegramTestServer::htmlProblem(const QString& html, QString* shown)
{
    QString text;
    std::vector<QString> open;
    for (qsizetype i = 0; i < html.size();) {
        const QChar c = html.at(i);
        if (c == u'&') {
            const qsizetype length = readEntity(html, i, text);
            if (length == 0)
                return QStringLiteral("unsupported HTML entity at offset %1").arg(i);
            i += length;
            continue;
        }
        // Telegram asks for both as entities outside tags; a stray one is how unescaped alert
        // text would show up.
        if (c == u'>')
            return QStringLiteral("unescaped \">\" at offset %1").arg(i);
        if (c != u'<') {
            text += c;
            ++i;
            continue;
        }
        const qsizetype end = html.indexOf(u'>', i);
        if (end < 0)
            return QStringLiteral("unclosed start tag at offset %1").arg(i);
        const QStringView tag = QStringView(html).sliced(i + 1, end - i - 1);
        if (tag.startsWith(u'/')) {
            const QString name = tag.sliced(1).trimmed().toString().toLower();
            if (open.empty() || open.back() != name)
                return QStringLiteral("can't find start tag for end tag \"%1\" at offset %2")
                    .arg(name)
                    .arg(i);
            open.pop_back();
        } else {
            qsizetype nameEnd = 0;
            while (nameEnd < tag.size() && !tag.at(nameEnd).isSpace())
                ++nameEnd;
            const QString name = tag.first(nameEnd).toString().toLower();
            const QStringView attributes = tag.sliced(nameEnd).trimmed();
            if (!isKnownTag(name))
                return QStringLiteral("unsupported start tag \"%1\" at offset %2").arg(name).arg(i);
            // Telegram's only span is the spoiler one.
            if (name == u"span" && attributes != u"class=\"tg-spoiler\"" &&
                attributes != u"class='tg-spoiler'")
                return QStringLiteral("span without class=\"tg-spoiler\" at offset %1").arg(i);
            // Code is verbatim: nothing nests in it, and only code nests in pre.
            if (!open.empty() &&
                (open.back() == u"code" || (open.back() == u"pre" && name != u"code")))
                return QStringLiteral("\"%1\" inside \"%2\" at offset %3")
                    .arg(name, open.back())
                    .arg(i);
            open.push_back(name);
        }
        i = end + 1;
    }
    if (!open.empty())
        return QStringLiteral("can't find end tag corresponding to start tag \"%1\"")
            .arg(open.back());
    if (shown)
        *shown = text;
    return std::nullopt;
}

std::optional<HttpTestResponse> TelegramTestServer::handle(const HttpTestRequest& request)
{
    Request record;
    record.method = request.method;
    record.target = request.target;
    record.body = request.body;
    record.receivedAtMs = QDateTime::currentMSecsSinceEpoch();
    m_requests.push_back(record);
    // Queued: the answer is on the wire first, and a slot that stops the server does not pull
    // the socket out from under it.
    QMetaObject::invokeMethod(this, &TelegramTestServer::requestReceived, Qt::QueuedConnection);
    if (m_hanging)
        return std::nullopt;
    const std::size_t messagesBefore = m_messages.size();
    HttpTestResponse response = check(request);
    m_requests.back().status = response.status;
    if (response.status != 200) {
        m_requests.back().description = QJsonDocument::fromJson(response.body)
                                            .object()
                                            .value(QStringLiteral("description"))
                                            .toString();
    }
    if (m_messages.size() > messagesBefore)
        QMetaObject::invokeMethod(this, &TelegramTestServer::messageReceived, Qt::QueuedConnection);
    return response;
}

HttpTestResponse TelegramTestServer::check(const HttpTestRequest& request)
{
    // /bot<token>/<method>: the token is checked before the method, as Telegram does.
    static const QRegularExpression route(QStringLiteral("^/bot([^/?]*)/([^/?]*)(\\?.*)?$"));
    const QRegularExpressionMatch match = route.match(QString::fromLatin1(request.target));
    if (!match.hasMatch())
        return refuse(404, QStringLiteral("Not Found"));
    if (match.captured(1).toLatin1() != m_token)
        return refuse(401, QStringLiteral("Unauthorized"));
    if (match.captured(2) != u"sendMessage")
        return refuse(404, QStringLiteral("Not Found"));
    if (request.method != "POST")
        return refuse(405, QStringLiteral("Method Not Allowed: this server takes POST only"));
    if (request.mediaType() != "application/json")
        return refuse(400, QStringLiteral("Bad Request: Content-Type is not application/json"));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return refuse(400, QStringLiteral("Bad Request: can't parse JSON object"));
    const QJsonObject body = document.object();

    const QJsonValue chatId = body.value(QStringLiteral("chat_id"));
    if (chatId.isUndefined() || chatId.isNull() || chatId == QJsonValue(QString()))
        return refuse(400, QStringLiteral("Bad Request: chat_id is empty"));
    if (!isValidChatId(chatId))
        return refuse(400, QStringLiteral("Bad Request: chat not found"));

    const QJsonValue parseModeValue = body.value(QStringLiteral("parse_mode"));
    const QString parseMode = parseModeValue.toString();
    const bool html = parseMode.compare(u"HTML", Qt::CaseInsensitive) == 0;
    if (!parseModeValue.isUndefined() &&
        (!parseModeValue.isString() ||
         (!parseMode.isEmpty() && !html &&
          parseMode.compare(u"MarkdownV2", Qt::CaseInsensitive) != 0 &&
          parseMode.compare(u"Markdown", Qt::CaseInsensitive) != 0)))
        return refuse(400, QStringLiteral("Bad Request: unsupported parse_mode"));

    const QJsonValue textValue = body.value(QStringLiteral("text"));
    QString shown = textValue.toString();
    if (html) {
        if (const std::optional<QString> problem = htmlProblem(textValue.toString(), &shown))
            return refuse(400, QStringLiteral("Bad Request: can't parse entities: ") + *problem);
    }
    // Telegram counts after entity parsing; UTF-16 units, which is never fewer than it counts.
    if (!textValue.isString() || shown.trimmed().isEmpty())
        return refuse(400, QStringLiteral("Bad Request: message text is empty"));
    if (shown.size() > kMaxTextLength)
        return refuse(400, QStringLiteral("Bad Request: message is too long"));

    if (!m_scripted.empty()) {
        const Scripted scripted = m_scripted.front();
        m_scripted.pop_front();
        return refuse(scripted.status, QString::fromUtf8(scripted.description),
                      scripted.retryAfter);
    }
    return accept(body, shown);
}

HttpTestResponse TelegramTestServer::accept(const QJsonObject& body, const QString& shownText)
{
    Message message;
    message.chatId = body.value(QStringLiteral("chat_id"));
    message.text = body.value(QStringLiteral("text")).toString();
    message.parseMode = body.value(QStringLiteral("parse_mode")).toString();
    message.body = body;
    message.receivedAtMs = QDateTime::currentMSecsSinceEpoch();
    m_messages.push_back(message);

    const qint64 botId = m_token.left(m_token.indexOf(':')).toLongLong();
    const QJsonObject result{
        {QStringLiteral("message_id"), m_nextMessageId++},
        {QStringLiteral("from"),
         QJsonObject{{QStringLiteral("id"), botId},
                     {QStringLiteral("is_bot"), true},
                     {QStringLiteral("first_name"), QStringLiteral("Breakwater test")},
                     {QStringLiteral("username"), QStringLiteral("breakwater_bot")}}},
        {QStringLiteral("chat"), QJsonObject{{QStringLiteral("id"), message.chatId}}},
        {QStringLiteral("date"), QDateTime::currentSecsSinceEpoch()},
        {QStringLiteral("text"), shownText},
    };
    const QJsonObject reply{{QStringLiteral("ok"), true}, {QStringLiteral("result"), result}};
    return {200, "application/json", QJsonDocument(reply).toJson(QJsonDocument::Compact), {}};
}

HttpTestResponse TelegramTestServer::refuse(int status, const QString& description, int retryAfter)
{
    HttpTestResponse response;
    response.status = status;
    response.body = QJsonDocument(telegramError(status, description, retryAfter))
                        .toJson(QJsonDocument::Compact);
    // No Retry-After header: parameters.retry_after is what the Bot API documents, so a client
    // that waits the right time must have read it from there.
    return response;
}

} // namespace breakwater::testing
