#include "sheetstestserver.h"

#include "httptestlistener.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

#include <cstdlib>
#include <cstring>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

namespace breakwater::testing {

namespace {

constexpr QLatin1StringView kJwtBearer("urn:ietf:params:oauth:grant-type:jwt-bearer");
constexpr QLatin1StringView kScope("https://www.googleapis.com/auth/spreadsheets");

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QByteArray compact(const QJsonObject& object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// Google's error shape for its JSON APIs.
HttpTestResponse googleError(int status, const QString& message, const QString& statusName = {})
{
    static const std::map<int, QString> statuses = {
        {400, QStringLiteral("INVALID_ARGUMENT")},   {401, QStringLiteral("UNAUTHENTICATED")},
        {403, QStringLiteral("PERMISSION_DENIED")},  {404, QStringLiteral("NOT_FOUND")},
        {429, QStringLiteral("RESOURCE_EXHAUSTED")}, {500, QStringLiteral("INTERNAL")},
        {503, QStringLiteral("UNAVAILABLE")},
    };
    const auto found = statuses.find(status);
    const QJsonObject error{{QStringLiteral("code"), status},
                            {QStringLiteral("message"), message},
                            {QStringLiteral("status"), !statusName.isEmpty() ? statusName
                                                       : found == statuses.end()
                                                           ? QStringLiteral("UNKNOWN")
                                                           : found->second}};
    return {
        status, "application/json; charset=UTF-8", compact({{QStringLiteral("error"), error}}), {}};
}

HttpTestResponse oauthError(int status, const QString& error, const QString& description)
{
    return {status,
            "application/json; charset=utf-8",
            compact({{QStringLiteral("error"), error},
                     {QStringLiteral("error_description"), description}}),
            {}};
}

QByteArray fromBase64Url(const QByteArray& text, bool* ok)
{
    const auto decoded = QByteArray::fromBase64Encoding(
        text, QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    *ok = bool(decoded) && !text.contains('=');
    return decoded ? *decoded : QByteArray();
}

} // namespace

SheetsTestServer::SheetsTestServer(QString spreadsheetId, QString range, QString clientEmail,
                                   QByteArray publicKeyPem, QObject* parent)
    : QObject(parent)
    , m_spreadsheetId(std::move(spreadsheetId))
    , m_range(std::move(range))
    , m_clientEmail(std::move(clientEmail))
    , m_publicKeyPem(std::move(publicKeyPem))
    , m_sheets(std::make_unique<HttpTestListener>(
          [this](const HttpTestRequest& request) { return handleAppend(request); }))
    , m_oauth(std::make_unique<HttpTestListener>(
          [this](const HttpTestRequest& request) -> std::optional<HttpTestResponse> {
              return handleToken(request);
          }))
{}

SheetsTestServer::~SheetsTestServer() = default;

bool SheetsTestServer::isListening() const
{
    return m_sheets->isListening() && m_oauth->isListening();
}

QUrl SheetsTestServer::sheetsBaseUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_sheets->port()));
}

QUrl SheetsTestServer::tokenUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1/token").arg(m_oauth->port()));
}

QStringList SheetsTestServer::eventIds() const
{
    QStringList ids;
    for (const QJsonArray& row : m_rows)
        ids.append(row.at(0).toString());
    return ids;
}

int SheetsTestServer::status401Count() const
{
    return int(std::count_if(m_appends.begin(), m_appends.end(),
                             [](const Request& r) { return r.status == 401; }));
}

QStringList SheetsTestServer::issuedTokens() const
{
    return m_issued;
}

QStringList SheetsTestServer::refusals() const
{
    QStringList out;
    for (const auto* requests : {&m_tokenRequests, &m_appends}) {
        for (const Request& r : *requests) {
            if (r.status >= 300)
                out.append(QStringLiteral("%1 %2").arg(r.status).arg(r.problem));
        }
    }
    return out;
}

void SheetsTestServer::answerAppends(int times, int status, int retryAfterSeconds)
{
    for (int i = 0; i < times; ++i)
        m_appendScript.push_back({status, retryAfterSeconds, false, false, {}});
}

void SheetsTestServer::hangAppends(int times, bool store)
{
    for (int i = 0; i < times; ++i)
        m_appendScript.push_back({0, -1, true, store, {}});
}

void SheetsTestServer::setSheetsDown(bool down)
{
    m_sheets->setDown(down);
}

void SheetsTestServer::answerTokens(int times, int status, const QByteArray& error)
{
    for (int i = 0; i < times; ++i)
        m_tokenScript.push_back({status, -1, false, false, error});
}

void SheetsTestServer::expireTokens()
{
    m_validTokens.clear();
}

void SheetsTestServer::acceptToken(const QByteArray& token)
{
    m_validTokens[token] = std::numeric_limits<qint64>::max();
}

std::optional<HttpTestResponse> SheetsTestServer::handleAppend(const HttpTestRequest& request)
{
    Request record;
    record.target = request.target;
    record.receivedAtMs = nowMs();
    std::vector<QJsonArray> rows;
    HttpTestResponse response = checkAppend(request, record, &rows);
    if (response.status == 200 && !m_appendScript.empty()) {
        const Scripted scripted = m_appendScript.front();
        m_appendScript.pop_front();
        if (scripted.hang) {
            if (scripted.store)
                (void)store(rows, record);
            m_appends.push_back(record);
            return std::nullopt;
        }
        QString message = QStringLiteral("scripted refusal");
        QString statusName;
        if (m_quoteCredentials) {
            message += QStringLiteral(" of ");
            const qsizetype quoteAt = m_quoteColumn - qsizetype(std::strlen("Bearer "));
            if (message.size() < quoteAt)
                message += QString(quoteAt - message.size(), u'.');
            message += QString::fromLatin1(request.header("Authorization"));
            if (m_quoteInStatus)
                statusName = QString::fromLatin1(request.header("Authorization").mid(7));
        }
        response = googleError(scripted.status, message, statusName);
        if (scripted.retryAfter >= 0)
            response.headers.append({"Retry-After", QByteArray::number(scripted.retryAfter)});
        record.problem = QStringLiteral("scripted");
    } else if (response.status == 200) {
        response = store(rows, record);
    } else {
        record.problem = QJsonDocument::fromJson(response.body)
                             .object()
                             .value(u"error")
                             .toObject()
                             .value(u"message")
                             .toString();
    }
    record.status = response.status;
    m_appends.push_back(record);
    return response;
}

HttpTestResponse SheetsTestServer::checkAppend(const HttpTestRequest& request, Request& record,
                                               std::vector<QJsonArray>* rows)
{
    const QUrl url = QUrl::fromEncoded(request.target);
    const QString expectedPath =
        QStringLiteral("/v4/spreadsheets/%1/values/%2:append").arg(m_spreadsheetId, m_range);
    if (request.method != "POST" || url.path(QUrl::FullyDecoded) != expectedPath)
        return googleError(404, QStringLiteral("Requested entity was not found."));
    const QByteArray authorization = request.header("Authorization");
    const auto token = m_validTokens.find(authorization.mid(7));
    if (!authorization.startsWith("Bearer ") || token == m_validTokens.end() ||
        token->second <= nowMs())
        return googleError(401, QStringLiteral("Request had invalid authentication credentials. "
                                               "Expected OAuth 2 access token."));
    const QUrlQuery query(url);
    if (query.queryItemValue(QStringLiteral("valueInputOption")) != u"RAW")
        return googleError(400, QStringLiteral("valueInputOption must be RAW here (got '%1')")
                                    .arg(query.queryItemValue(QStringLiteral("valueInputOption"))));
    if (query.queryItemValue(QStringLiteral("insertDataOption")) != u"INSERT_ROWS")
        return googleError(400, QStringLiteral("insertDataOption must be INSERT_ROWS here"));
    if (request.mediaType() != "application/json")
        return googleError(400, QStringLiteral("Content-Type is not application/json"));
    QJsonParseError parseError;
    const QJsonObject body = QJsonDocument::fromJson(request.body, &parseError).object();
    if (parseError.error != QJsonParseError::NoError)
        return googleError(400, QStringLiteral("Invalid JSON payload received. ") +
                                    parseError.errorString());
    if (body.value(u"range").toString() != m_range)
        return googleError(400, QStringLiteral("Requested writing within range [%1], but tried "
                                               "writing to [%2]")
                                    .arg(m_range, body.value(u"range").toString()));
    if (body.value(u"majorDimension").toString() != u"ROWS")
        return googleError(400, QStringLiteral("majorDimension must be ROWS"));
    const QJsonValue values = body.value(u"values");
    if (!values.isArray() || values.toArray().isEmpty())
        return googleError(400, QStringLiteral("values must be a non-empty array of rows"));
    for (const QJsonValue& row : values.toArray()) {
        if (!row.isArray())
            return googleError(400, QStringLiteral("a row is not an array"));
        if (m_expectedColumns > 0 && row.toArray().size() != m_expectedColumns)
            return googleError(400, QStringLiteral("a row has %1 cells, not %2")
                                        .arg(row.toArray().size())
                                        .arg(m_expectedColumns));
        for (const QJsonValue& cell : row.toArray()) {
            if (!cell.isString() && !cell.isDouble() && !cell.isBool())
                return googleError(400, QStringLiteral("a cell is neither text nor a number"));
        }
        rows->push_back(row.toArray());
    }
    record.rows = int(rows->size());
    return {200, "application/json", {}, {}};
}

HttpTestResponse SheetsTestServer::store(const std::vector<QJsonArray>& rows, Request& record)
{
    const std::size_t first = m_rows.size() + 1;
    m_rows.insert(m_rows.end(), rows.begin(), rows.end());
    record.stored = true;
    // Queued: the answer goes out first, and a slot that stops the server is safe.
    QMetaObject::invokeMethod(this, &SheetsTestServer::rowsAppended, Qt::QueuedConnection);
    const QString updated =
        QStringLiteral("%1!A%2:Q%3").arg(m_range.section(u'!', 0, 0)).arg(first).arg(m_rows.size());
    const QJsonObject updates{{QStringLiteral("spreadsheetId"), m_spreadsheetId},
                              {QStringLiteral("updatedRange"), updated},
                              {QStringLiteral("updatedRows"), int(rows.size())},
                              {QStringLiteral("updatedColumns"), 17},
                              {QStringLiteral("updatedCells"), int(rows.size()) * 17}};
    return {200,
            "application/json; charset=UTF-8",
            compact({{QStringLiteral("spreadsheetId"), m_spreadsheetId},
                     {QStringLiteral("updates"), updates}}),
            {}};
}

HttpTestResponse SheetsTestServer::handleToken(const HttpTestRequest& request)
{
    Request record;
    record.target = request.target;
    record.receivedAtMs = nowMs();
    HttpTestResponse response = checkToken(request);
    if (response.status == 200 && !m_tokenScript.empty()) {
        const Scripted scripted = m_tokenScript.front();
        m_tokenScript.pop_front();
        QString description = QStringLiteral("scripted refusal");
        if (m_quoteCredentials) {
            // As a careless endpoint might: the grant's tail, which is its signature.
            const QByteArray assertion =
                QUrlQuery(QString::fromLatin1(request.body))
                    .queryItemValue(QStringLiteral("assertion"), QUrl::FullyDecoded)
                    .toLatin1();
            m_assertions.append(QString::fromLatin1(assertion.right(120)));
            description += QStringLiteral(" of ") + m_assertions.back();
        }
        response =
            oauthError(scripted.status, QString::fromLatin1(scripted.oauthError), description);
    }
    if (response.status == 200) {
        const QByteArray token = "ya29.test-" + QByteArray::number(m_nextToken++) + '-' +
                                 QByteArray::number(nowMs() % 1'000'000'007, 36) + "AbCdEf";
        m_validTokens[token] = nowMs() + qint64(m_tokenLifetime) * 1000;
        m_issued.append(QString::fromLatin1(token));
        response.body = compact({{QStringLiteral("access_token"), QString::fromLatin1(token)},
                                 {QStringLiteral("expires_in"), m_tokenLifetime},
                                 {QStringLiteral("token_type"), QStringLiteral("Bearer")}});
    } else {
        record.problem = QString::fromUtf8(response.body);
    }
    record.status = response.status;
    m_tokenRequests.push_back(record);
    return response;
}

HttpTestResponse SheetsTestServer::checkToken(const HttpTestRequest& request)
{
    if (request.method != "POST" || QUrl::fromEncoded(request.target).path() != u"/token")
        return oauthError(404, QStringLiteral("not_found"), QStringLiteral("no such endpoint"));
    if (request.mediaType() != "application/x-www-form-urlencoded")
        return oauthError(400, QStringLiteral("invalid_request"),
                          QStringLiteral("the body must be application/x-www-form-urlencoded"));
    const QUrlQuery form(QString::fromLatin1(request.body));
    if (form.queryItemValue(QStringLiteral("grant_type"), QUrl::FullyDecoded) != kJwtBearer)
        return oauthError(400, QStringLiteral("unsupported_grant_type"),
                          QStringLiteral("Invalid grant_type: ") +
                              form.queryItemValue(QStringLiteral("grant_type")));
    const QByteArray assertion =
        form.queryItemValue(QStringLiteral("assertion"), QUrl::FullyDecoded).toLatin1();
    if (const std::optional<QString> problem = assertionProblem(assertion))
        return oauthError(400, QStringLiteral("invalid_grant"), *problem);
    return {200, "application/json; charset=utf-8", {}, {}};
}

std::optional<QString> SheetsTestServer::assertionProblem(const QByteArray& assertion) const
{
    const QList<QByteArray> parts = assertion.split('.');
    if (parts.size() != 3)
        return QStringLiteral("Invalid JWT: not three parts");
    bool headerOk = false;
    bool claimsOk = false;
    bool signatureOk = false;
    const QJsonObject header = QJsonDocument::fromJson(fromBase64Url(parts[0], &headerOk)).object();
    const QJsonObject claims = QJsonDocument::fromJson(fromBase64Url(parts[1], &claimsOk)).object();
    const QByteArray signature = fromBase64Url(parts[2], &signatureOk);
    if (!headerOk || !claimsOk || !signatureOk)
        return QStringLiteral("Invalid JWT: a part is not base64url without padding");
    if (header.value(u"alg").toString() != u"RS256" || header.value(u"typ").toString() != u"JWT")
        return QStringLiteral("Invalid JWT: the header is not {\"alg\":\"RS256\",\"typ\":\"JWT\"}");
    if (!signatureVerifies(parts[0] + '.' + parts[1], signature))
        return QStringLiteral("Invalid JWT Signature.");
    if (claims.value(u"iss").toString() != m_clientEmail)
        return QStringLiteral("Invalid JWT: iss is not the service account");
    if (!claims.value(u"scope").toString().split(u' ').contains(kScope))
        return QStringLiteral("Invalid JWT: the scope does not include spreadsheets");
    if (claims.value(u"aud").toString() != tokenUrl().toString())
        return QStringLiteral("Invalid JWT: aud is not %1").arg(tokenUrl().toString());
    const qint64 iat = claims.value(u"iat").toInteger(-1);
    const qint64 exp = claims.value(u"exp").toInteger(-1);
    if (exp - iat != 3600 || std::llabs(iat - nowMs() / 1000) > 300)
        return QStringLiteral("Invalid JWT: Token must be a short-lived token (60 minutes) and in "
                              "a reasonable timeframe. Check your iat and exp values");
    return std::nullopt;
}

bool SheetsTestServer::signatureVerifies(const QByteArray& signingInput,
                                         const QByteArray& signature) const
{
    BIO* bio = BIO_new_mem_buf(m_publicKeyPem.constData(), int(m_publicKeyPem.size()));
    EVP_PKEY* key = bio ? PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr) : nullptr;
    BIO_free(bio);
    EVP_MD_CTX* context = EVP_MD_CTX_new();
    const bool verified =
        key && context && EVP_DigestVerifyInit(context, nullptr, EVP_sha256(), nullptr, key) == 1 &&
        EVP_DigestVerify(context, reinterpret_cast<const unsigned char*>(signature.constData()),
                         std::size_t(signature.size()),
                         reinterpret_cast<const unsigned char*>(signingInput.constData()),
                         std::size_t(signingInput.size())) == 1;
    EVP_MD_CTX_free(context);
    EVP_PKEY_free(key);
    return verified;
}

} // namespace breakwater::testing
