#include "sheetsappend.h"

#include "accesstoken.h"
#include "errors/errorclassifier.h"
#include "net/httppost.h"
#include "telemetry/jsonencoding.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

namespace breakwater {

namespace {

using Verdict = SheetsAppendOutcome::Verdict;

QString reasonFor(int status)
{
    switch (status) {
    case 400:
        return QStringLiteral("bad_request");
    case 401:
        return QStringLiteral("unauthorized");
    case 403:
        return QStringLiteral("forbidden");
    case 404:
        return QStringLiteral("not_found");
    case 408:
        return QStringLiteral("timeout");
    case 429:
        return QStringLiteral("rate_limited");
    default:
        return status >= 500 ? QStringLiteral("server_error") : QStringLiteral("refused");
    }
}

} // namespace

QUrl sheetsAppendUrl(const SheetsSettings& settings)
{
    const QByteArray base =
        settings.baseUrl
            .adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::StripTrailingSlash)
            .toEncoded();
    return QUrl::fromEncoded(base + "/v4/spreadsheets/" +
                                 QUrl::toPercentEncoding(settings.spreadsheetId) + "/values/" +
                                 QUrl::toPercentEncoding(settings.range) +
                                 ":append?valueInputOption=RAW&insertDataOption=INSERT_ROWS",
                             QUrl::StrictMode);
}

QByteArray sheetsAppendBody(const QString& range, const QByteArrayList& rows)
{
    qsizetype size = 64 + qsizetype(json::maxStringBytes(range.size()));
    for (const QByteArray& row : rows)
        size += row.size() + 1;
    QByteArray body;
    body.reserve(size);
    body += "{\"range\":";
    const qsizetype at = body.size();
    body.resize(at + qsizetype(json::maxStringBytes(range.size())));
    body.resize(json::writeString(body.data() + at, range) - body.constData());
    body += ",\"majorDimension\":\"ROWS\",\"values\":[";
    for (qsizetype i = 0; i < rows.size(); ++i) {
        if (i > 0)
            body += ',';
        body += rows.at(i);
    }
    body += "]}";
    return body;
}

SheetsAppendOutcome classifySheetsAnswer(const HttpAnswer& answer, bool cancelled,
                                         const AccessTokenSource& secrets)
{
    SheetsAppendOutcome outcome;
    // Only a transfer the stop cut short: an answer that came just before it still counts, or
    // appended rows would stay queued and go out again.
    if (answer.code == CURLE_ABORTED_BY_CALLBACK && cancelled) {
        outcome.verdict = Verdict::Cancelled;
        outcome.reason = QStringLiteral("cancelled");
        outcome.message = QStringLiteral("stopped before the Sheets API answered");
        return outcome;
    }
    if (answer.code != CURLE_OK) {
        const bool timedOut = answer.code == CURLE_OPERATION_TIMEDOUT;
        outcome.verdict =
            isTransientTransferError(answer.code) ? Verdict::Transient : Verdict::Permanent;
        outcome.reason = timedOut ? QStringLiteral("timeout") : QStringLiteral("unreachable");
        outcome.message = QStringLiteral("no answer from the Sheets API: ") + answer.error;
        return outcome;
    }
    outcome.httpStatus = answer.status;
    const QJsonObject body = QJsonDocument::fromJson(answer.body).object();
    if (answer.status >= 200 && answer.status < 300) {
        outcome.verdict = Verdict::Appended;
        outcome.updatedRows = body.value(QStringLiteral("updates"))
                                  .toObject()
                                  .value(QStringLiteral("updatedRows"))
                                  .toInt(-1);
        return outcome;
    }
    // Google's error shape: {"error":{"code":403,"message":"...","status":"PERMISSION_DENIED"}}.
    // Both fields may quote what the request carried (a proxy's echo, a careless server): they
    // are scrubbed whole and only then cut, so no cut can leave part of a token behind.
    const QJsonObject error = body.value(QStringLiteral("error")).toObject();
    const std::optional<QString> code =
        secrets.scrubbed(error.value(QStringLiteral("status")).toString(), 64);
    const std::optional<QString> text =
        secrets.scrubbed(error.value(QStringLiteral("message")).toString(), 300);
    outcome.googleCode = code.value_or(QString(AccessTokenSource::kWithheldCode));
    outcome.reason = reasonFor(answer.status);
    outcome.message = QStringLiteral("the Sheets API answered HTTP %1").arg(answer.status);
    if (!code || !text) {
        outcome.message += QStringLiteral(" (its reason quoted an access token and is withheld)");
    } else {
        if (!code->isEmpty())
            outcome.message += QLatin1Char(' ') + *code;
        if (!text->isEmpty())
            outcome.message += QStringLiteral(": ") + *text;
    }
    if (answer.status == 401) {
        outcome.verdict = Verdict::Unauthorized;
    } else if (answer.status == 408 || answer.status == 429 || answer.status >= 500) {
        outcome.verdict = Verdict::Transient;
        outcome.retryAfter =
            classify::parseRetryAfter(answer.retryAfter, QDateTime::currentDateTimeUtc());
    } else {
        outcome.verdict = Verdict::Permanent;
    }
    return outcome;
}

SheetsAppendOutcome sheetsTokenFailure(const ServiceError& error)
{
    SheetsAppendOutcome outcome;
    outcome.httpStatus = error.httpStatus;
    outcome.googleCode = error.vendorCode;
    outcome.message = error.message;
    outcome.retryAfter = error.retryAfter;
    switch (error.kind) {
    case ErrorKind::Cancelled:
        outcome.verdict = Verdict::Cancelled;
        outcome.reason = QStringLiteral("cancelled");
        break;
    case ErrorKind::Permanent:
    case ErrorKind::Rejected:
        outcome.verdict = Verdict::Permanent;
        outcome.reason = QStringLiteral("token_refused");
        break;
    case ErrorKind::Transient:
        outcome.verdict = Verdict::Transient;
        outcome.reason = QStringLiteral("token_unavailable");
        break;
    }
    return outcome;
}

} // namespace breakwater
