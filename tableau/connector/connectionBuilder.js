// Builds the ODBC connection string of the Bitbucket Cloud (ODBC) connector from the dialog's
// attributes. Returns "Key=value" strings; Tableau joins them with ';' and calls SQLDriverConnect.
// Every key is a property of the Bitbucket ODBC driver (README "Connection properties"), which
// tests/python/test_tableau_artifacts.py checks by running this file under Node.js.
(function dsbuilder(attr)
{
    // ODBC connection-string quoting, as the driver parses it: a value holding ';', '{', '}' or
    // '=', or starting or ending with a space, goes in braces with each '}' doubled.
    function quote(value)
    {
        var v = String(value);
        if (/[;{}=]/.test(v) || /^\s|\s$/.test(v))
            return "{" + v.replace(/}/g, "}}") + "}";
        return v;
    }
    function has(key)
    {
        return attr[key] !== undefined && attr[key] !== null && String(attr[key]) !== "";
    }

    var params = {};
    var order = [];
    function set(key, value)
    {
        if (!(key in params))
            order.push(key);
        params[key] = value;
    }

    // Tableau's Database is the driver's catalog: a workspace slug.
    if (has(connectionHelper.attributeDatabase))
        set("Workspace", attr[connectionHelper.attributeDatabase]);
    if (has("v-schema"))
        set("Schema", attr["v-schema"]);

    var scheme = has("v-authscheme") ? String(attr["v-authscheme"]) : "Basic";
    var secret = attr[connectionHelper.attributePassword];
    if (scheme == "Basic")
    {
        set("AuthScheme", "Basic");
        set("User", attr[connectionHelper.attributeUsername]);
        set("Password", secret);
    }
    else if (scheme == "AccessToken")
    {
        set("AuthScheme", "AccessToken");
        set("AccessToken", secret);
    }
    else if (scheme == "OAuth" || scheme == "Client")
    {
        // The driver keeps the OAuth tokens in its own store (OAuthSettingsLocation) and refreshes
        // them; Tableau only ever holds the consumer's key and secret.
        set("AuthScheme", scheme);
        set("OAuthClientId", attr["v-oauthclientid"]);
        set("OAuthClientSecret", secret);
    }
    else
    {
        return connectionHelper.ThrowTableauException("Unknown authentication scheme '" + scheme + "': use Basic, AccessToken, OAuth or Client.");
    }

    if (has("v-maxrequestsperquery"))
        set("MaxRequestsPerQuery", attr["v-maxrequestsperquery"]);
    if (has("v-logfile"))
    {
        set("LogFile", attr["v-logfile"]);
        if (has("v-verbosity"))
            set("Verbosity", attr["v-verbosity"]);
    }

    // Anything else the driver knows (BaseURL, ProxyServer, Timeout, OAuthSettingsLocation...) can
    // be passed as odbc-connect-string-extras, e.g. from a .tds file; those values win.
    if ("odbc-connect-string-extras" in attr && has("odbc-connect-string-extras"))
    {
        var extras = connectionHelper.ParseODBCConnectString(attr["odbc-connect-string-extras"]);
        for (var key in extras)
            set(key, extras[key]);
    }

    var formatted = ["DRIVER={" + driverLocator.LocateDriver(attr) + "}"];
    for (var i = 0; i < order.length; i++)
    {
        var k = order[i];
        var v = params[k];
        if (v === undefined || v === null)
            v = "";
        formatted.push(k + "=" + quote(v));
    }
    return formatted;
})
