/* Name servers for pjsua's resolver, so that pjsip locates SIP servers itself (RFC 3263 as far
 * as pjsip goes: SRV then A/AAAA). Java gives them before slpj_start (slpj_set_nameservers);
 * slpj_start names them in pjsua_config, which makes pjsua_init create the resolver, and then
 * sets them again with their ports: pjsua_init passes no ports, so every server would be asked
 * on 53. */
#include "slpj_internal.h"
#include <stdio.h>
#include <string.h>

#define SLPJ_MAX_NS 4 /* pjsua_config.nameserver holds four */

static char ns_host[SLPJ_MAX_NS][64];
static pj_str_t ns_str[SLPJ_MAX_NS];
static pj_uint16_t ns_port[SLPJ_MAX_NS];
static int ns_count;

int slpj_set_nameservers(const char **hosts, const int *ports, int count, char *err, int err_len)
{
    int i;
    if (slpj_started) {
        slpj_set_err(err, err_len, "name servers must be set before pjsua starts", PJ_SUCCESS);
        return -1;
    }
    if (count < 0 || count > SLPJ_MAX_NS) {
        char what[80];
        snprintf(what, sizeof(what), "%d name servers; pjsua takes at most %d", count, SLPJ_MAX_NS);
        slpj_set_err(err, err_len, what, PJ_SUCCESS);
        return -1;
    }
    for (i = 0; i < count; ++i) {
        if (!hosts[i] || strlen(hosts[i]) >= sizeof(ns_host[i]) || ports[i] < 1 || ports[i] > 65535) {
            slpj_set_err(err, err_len, "a name server is not address and port", PJ_SUCCESS);
            return -1;
        }
    }
    for (i = 0; i < count; ++i) {
        snprintf(ns_host[i], sizeof(ns_host[i]), "%s", hosts[i]);
        ns_str[i] = pj_str(ns_host[i]);
        ns_port[i] = (pj_uint16_t)ports[i];
    }
    ns_count = count;
    return 0;
}

void slpj_dns_config(pjsua_config *cfg)
{
    int i;
    cfg->nameserver_count = (unsigned)ns_count;
    for (i = 0; i < ns_count; ++i) cfg->nameserver[i] = ns_str[i];
}

pj_status_t slpj_dns_apply_ports(void)
{
    pj_dns_resolver *resolver;
    if (ns_count == 0) return PJ_SUCCESS;
    resolver = pjsip_endpt_get_resolver(pjsua_get_pjsip_endpt());
    if (!resolver) return PJ_EINVALIDOP;
    return pj_dns_resolver_set_ns(resolver, (unsigned)ns_count, ns_str, ns_port);
}
