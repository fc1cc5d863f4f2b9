package dev.spectra.deploy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a namespace's NetworkPolicies let a TCP connection through, between two pods of that namespace, as Kubernetes
 * decides it: the caller's egress and the callee's ingress must each be admitted by a rule of some policy selecting
 * that pod, or that pod must be selected by no policy of the direction. Peers by namespace or address never match
 * here: both pods are in the namespace.
 */
final class NetworkPolicies {

    private NetworkPolicies() {
    }

    static boolean admitsEgress(List<NetworkPolicy> policies, Map<String, String> from, Map<String, String> to, int port) {
        List<NetworkPolicy> selecting = selecting(policies, from, "Egress");
        return selecting.isEmpty() || selecting.stream()
                .flatMap(policy -> Optional.ofNullable(policy.getSpec().getEgress()).orElse(List.of()).stream())
                .anyMatch(rule -> admits(rule.getTo(), rule.getPorts(), to, port));
    }

    static boolean admitsIngress(List<NetworkPolicy> policies, Map<String, String> to, Map<String, String> from, int port) {
        List<NetworkPolicy> selecting = selecting(policies, to, "Ingress");
        return selecting.isEmpty() || selecting.stream()
                .flatMap(policy -> Optional.ofNullable(policy.getSpec().getIngress()).orElse(List.of()).stream())
                .anyMatch(rule -> admits(rule.getFrom(), rule.getPorts(), from, port));
    }

    /** Whether the pod may send UDP to port 53 of the kube-system namespace, where the cluster's DNS is. */
    static boolean admitsDnsLookups(List<NetworkPolicy> policies, Map<String, String> pod) {
        return selecting(policies, pod, "Egress").stream()
                .flatMap(policy -> Optional.ofNullable(policy.getSpec().getEgress()).orElse(List.of()).stream())
                .anyMatch(rule -> Optional.ofNullable(rule.getTo()).orElse(List.of()).stream().anyMatch(peer -> peer.getNamespaceSelector() != null
                                && "kube-system".equals(Optional.ofNullable(peer.getNamespaceSelector().getMatchLabels()).orElse(Map.of())
                                        .get("kubernetes.io/metadata.name")))
                        && Optional.ofNullable(rule.getPorts()).orElse(List.of()).stream().anyMatch(port -> "UDP".equals(port.getProtocol())
                                && port.getPort() != null && Integer.valueOf(53).equals(port.getPort().getIntVal())));
    }

    private static List<NetworkPolicy> selecting(List<NetworkPolicy> policies, Map<String, String> pod, String direction) {
        return policies.stream()
                .filter(policy -> types(policy).contains(direction))
                .filter(policy -> Selectors.matches(policy.getSpec().getPodSelector(), pod))
                .toList();
    }

    // Without policyTypes a policy is an Ingress one, and an Egress one too if it has egress rules.
    private static List<String> types(NetworkPolicy policy) {
        if (policy.getSpec().getPolicyTypes() != null && !policy.getSpec().getPolicyTypes().isEmpty()) {
            return policy.getSpec().getPolicyTypes();
        }
        return policy.getSpec().getEgress() == null ? List.of("Ingress") : List.of("Ingress", "Egress");
    }

    // No peers admits every pod, no ports every port.
    private static boolean admits(List<NetworkPolicyPeer> peers, List<NetworkPolicyPort> ports, Map<String, String> peer, int port) {
        boolean peerAdmitted = peers == null || peers.isEmpty() || peers.stream().anyMatch(candidate -> sameNamespacePeer(candidate, peer));
        boolean portAdmitted = ports == null || ports.isEmpty() || ports.stream().anyMatch(candidate -> admits(candidate, port));
        return peerAdmitted && portAdmitted;
    }

    private static boolean sameNamespacePeer(NetworkPolicyPeer candidate, Map<String, String> pod) {
        LabelSelector podSelector = candidate.getPodSelector();
        return candidate.getNamespaceSelector() == null && candidate.getIpBlock() == null && podSelector != null
                && Selectors.matches(podSelector, pod);
    }

    private static boolean admits(NetworkPolicyPort candidate, int port) {
        boolean tcp = candidate.getProtocol() == null || candidate.getProtocol().equals("TCP");
        if (candidate.getPort() == null) {
            return tcp;
        }
        Integer number = candidate.getPort().getIntVal();
        int end = candidate.getEndPort() == null ? (number == null ? -1 : number) : candidate.getEndPort();
        return tcp && number != null && number <= port && port <= end;
    }
}
