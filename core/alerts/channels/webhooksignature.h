#pragma once

#include <QByteArray>
#include <QString>

namespace breakwater {

// Standard Webhooks 1.0 signing: HMAC-SHA256 over "{id}.{timestamp}.{body}" with the secret,
// sent as "webhook-signature: v1,<base64>". A secret written "whsec_<base64>" (the form those
// libraries generate) is the base64-decoded key; any other text is the key as UTF-8.
QByteArray webhookSigningKey(const QString& secret);
// "v1,<base64 signature>".
QByteArray webhookSignature(const QByteArray& key, const QByteArray& id, qint64 timestamp,
                            const QByteArray& body);

} // namespace breakwater
